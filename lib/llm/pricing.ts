/**
 * What an LLM call cost, in USD, from a small per-model price table.
 * Prices are list prices per 1M tokens; operators can override or extend them with `ATLAS_PRICE_TABLE`.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Environment } from "@/lib/config/env-refs";
import { AtlasError, errorMessage } from "@/lib/errors";
import { readEnv } from "@/lib/server/env";
import type { LlmUsage } from "./types";

export interface ModelPrice {
  /** USD per 1M prompt tokens. */
  input: number;
  /** USD per 1M completion tokens (reasoning tokens included). */
  output: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

export const PRICE_TABLE_ENV = "ATLAS_PRICE_TABLE";

export const DEFAULT_PRICES: PriceTable = {
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  o1: { input: 15, output: 60 },
  o3: { input: 2, output: 8 },
  "o3-mini": { input: 1.1, output: 4.4 },
  "o4-mini": { input: 1.1, output: 4.4 },
  "gpt-5": { input: 1.25, output: 10 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  "claude-sonnet-4": { input: 3, output: 15 },
  "claude-sonnet-4-5": { input: 3, output: 15 },
  "claude-3-7-sonnet": { input: 3, output: 15 },
  "claude-3-5-sonnet": { input: 3, output: 15 },
  "claude-haiku-4-5": { input: 1, output: 5 },
  "claude-3-5-haiku": { input: 0.8, output: 4 },
  "gemini-2.5-flash": { input: 0.3, output: 2.5 },
  "gemini-2.5-flash-lite": { input: 0.1, output: 0.4 },
  "gemini-2.5-pro": { input: 1.25, output: 10 },
};

const PriceTableSchema = z.record(
  z.string(),
  z.strictObject({ input: z.number().min(0), output: z.number().min(0) }),
);

/**
 * The price of a model: an exact entry for the full name (`openai/gpt-4o`) or the bare name (`gpt-4o`),
 * else the longest entry the bare name starts with at a word boundary (`gpt-4o-2024-08-06` → `gpt-4o`).
 * Unknown models cost nothing rather than a guess.
 */
export function priceOf(model: string, table: PriceTable = DEFAULT_PRICES): ModelPrice | null {
  const bare = model.slice(model.lastIndexOf("/") + 1);
  const exact = table[model] ?? table[bare];
  if (exact) return exact;
  let best: string | null = null;
  for (const name of Object.keys(table)) {
    const boundary = bare.charAt(name.length);
    if (bare.startsWith(name) && /[-:@]/.test(boundary) && (best === null || name.length > best.length)) best = name;
  }
  return best === null ? null : (table[best] ?? null);
}

/**
 * Cost of one call. `completionTokens` already contains the reasoning tokens (OpenAI reports them as a
 * breakdown of completion_tokens), so reasoning is billed at the output price without being counted twice.
 */
export function costOf(model: string, usage: Pick<LlmUsage, "promptTokens" | "completionTokens">, table?: PriceTable): number {
  const price = priceOf(model, table);
  if (!price) return 0;
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}

const envTableCache = new Map<string, PriceTable>();

/**
 * The defaults with `ATLAS_PRICE_TABLE` merged over them. The variable holds inline JSON
 * (`{"my-model": {"input": 1, "output": 2}}`) or the path of a JSON file with that shape.
 */
export function priceTableFromEnv(env: Environment = process.env): PriceTable {
  const setting = readEnv("ATLAS_PRICE_TABLE", env);
  if (!setting) return DEFAULT_PRICES;
  const cached = envTableCache.get(setting);
  if (cached) return cached;
  const table = { ...DEFAULT_PRICES, ...parsePriceTable(setting) };
  envTableCache.set(setting, table);
  return table;
}

function parsePriceTable(setting: string): PriceTable {
  const source = setting.startsWith("{") ? "inline JSON" : setting;
  let text = setting;
  if (!setting.startsWith("{")) {
    try {
      text = readFileSync(setting, "utf8");
    } catch (error) {
      throw new AtlasError("invalid_config", `${PRICE_TABLE_ENV}: cannot read price table file ${setting}: ${errorMessage(error)}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AtlasError("invalid_config", `${PRICE_TABLE_ENV} (${source}) is not valid JSON: ${errorMessage(error)}`);
  }
  const parsed = PriceTableSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(root)";
    throw new AtlasError(
      "invalid_config",
      `${PRICE_TABLE_ENV} (${source}) at ${where}: ${issue?.message ?? "invalid"}; expected {"<model>": {"input": <USD per 1M tokens>, "output": <USD per 1M tokens>}}`,
    );
  }
  return parsed.data;
}
