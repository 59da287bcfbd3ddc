import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AtlasError } from "@/lib/errors";
import { costOf, DEFAULT_PRICES, priceOf, priceTableFromEnv } from "./pricing";

describe("priceOf", () => {
  it("matches exact names, provider-prefixed names and dated snapshots", () => {
    expect(priceOf("gpt-4o")).toEqual(DEFAULT_PRICES["gpt-4o"]);
    expect(priceOf("openai/gpt-4o-mini")).toEqual(DEFAULT_PRICES["gpt-4o-mini"]);
    expect(priceOf("gpt-4o-2024-08-06")).toEqual(DEFAULT_PRICES["gpt-4o"]);
    expect(priceOf("gpt-4o-mini-2024-07-18")).toEqual(DEFAULT_PRICES["gpt-4o-mini"]);
    expect(priceOf("gemini/gemini-2.5-flash")).toEqual(DEFAULT_PRICES["gemini-2.5-flash"]);
    expect(priceOf("anthropic/claude-sonnet-4-20250514")).toEqual(DEFAULT_PRICES["claude-sonnet-4"]);
  });

  it("knows nothing about unknown models rather than guessing", () => {
    expect(priceOf("llama3.1:8b")).toBeNull();
    expect(priceOf("gpt-4")).toBeNull();
    expect(costOf("llama3.1:8b", { promptTokens: 1000, completionTokens: 1000 })).toBe(0);
  });
});

describe("costOf", () => {
  it("bills prompt tokens at the input price and completion tokens (reasoning included) at the output price", () => {
    expect(costOf("gpt-5", { promptTokens: 2_000_000, completionTokens: 1_000_000 })).toBeCloseTo(2 * 1.25 + 10, 9);
  });
});

describe("priceTableFromEnv", () => {
  it("merges inline JSON over the defaults", () => {
    const table = priceTableFromEnv({ ATLAS_PRICE_TABLE: '{"my-model": {"input": 1, "output": 2}, "gpt-4o": {"input": 0, "output": 0}}' });
    expect(costOf("my-model", { promptTokens: 1_000_000, completionTokens: 1_000_000 }, table)).toBe(3);
    expect(costOf("gpt-4o", { promptTokens: 1_000_000, completionTokens: 1_000_000 }, table)).toBe(0);
    expect(table["gpt-4o-mini"]).toEqual(DEFAULT_PRICES["gpt-4o-mini"]);
  });

  it("reads a JSON file when the variable holds a path", () => {
    const file = join(mkdtempSync(join(tmpdir(), "atlas-prices-")), "prices.json");
    writeFileSync(file, JSON.stringify({ "house-model": { input: 4, output: 8 } }));
    expect(priceTableFromEnv({ ATLAS_PRICE_TABLE: file })["house-model"]).toEqual({ input: 4, output: 8 });
  });

  it("explains a malformed table", () => {
    expect(() => priceTableFromEnv({ ATLAS_PRICE_TABLE: '{"m": {"input": "cheap"}}' })).toThrow(AtlasError);
    expect(() => priceTableFromEnv({ ATLAS_PRICE_TABLE: '{"m": {"input": "cheap"}}' })).toThrow(/ATLAS_PRICE_TABLE .* at m\.input/);
    expect(() => priceTableFromEnv({ ATLAS_PRICE_TABLE: "/nonexistent/prices.json" })).toThrow(/cannot read price table file/);
  });
});
