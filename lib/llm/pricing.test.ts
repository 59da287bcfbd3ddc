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

describe("provider prices", () => {
  it("has list prices for the current models of each provider", () => {
    for (const model of ["gpt-5-mini", "claude-sonnet-4-5-20250929", "claude-haiku-4-5", "gemini-2.5-pro", "grok-4-fast", "grok-4", "deepseek-chat", "mistral-large-latest"]) {
      expect(priceOf(model), model).not.toBeNull();
    }
  });

  it("prices hosted open-weight models by <provider>/<model>", () => {
    expect(priceOf("openai/gpt-oss-120b", DEFAULT_PRICES, "groq")).toEqual(DEFAULT_PRICES["groq/openai/gpt-oss-120b"]);
    expect(priceOf("openai/gpt-oss-120b", DEFAULT_PRICES, "ollama")).toBeNull();
  });

  it("bills cached prompt tokens at the cached-input price, else at the input price", () => {
    const usage = { promptTokens: 1_000_000, completionTokens: 0 };
    expect(costOf("claude-sonnet-4-5", usage, DEFAULT_PRICES, { cachedPromptTokens: 400_000 })).toBeCloseTo(0.6 * 3 + 0.4 * 0.3, 9);
    expect(costOf("mistral-large-latest", usage, DEFAULT_PRICES, { cachedPromptTokens: 400_000 })).toBeCloseTo(2, 9);
  });

  it("reads cached_input from ATLAS_PRICE_TABLE", () => {
    const table = priceTableFromEnv({ ATLAS_PRICE_TABLE: '{"house": {"input": 1, "output": 2, "cached_input": 0.1}}' });
    expect(table.house).toEqual({ input: 1, output: 2, cachedInput: 0.1 });
  });
});
