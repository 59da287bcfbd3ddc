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
  /** USD per 1M prompt tokens served from the provider's prompt cache; absent: billed at `input`. */
  cachedInput?: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

export const PRICE_TABLE_ENV = "ATLAS_PRICE_TABLE";

const price = (input: number, output: number, cachedInput?: number): ModelPrice =>
  cachedInput === undefined ? { input, output } : { input, output, cachedInput };

/**
 * List prices in USD per 1M tokens as the providers published them in November 2025 (standard tier,
 * prompts under 200k tokens, no batch discount). Keys are model names as sent on the wire; hosted
 * open-weight models, whose price depends on the host, are keyed `<provider>/<model>`.
 */
export const DEFAULT_PRICES: PriceTable = {
  // OpenAI
  "gpt-4o": price(2.5, 10, 1.25),
  "gpt-4o-mini": price(0.15, 0.6, 0.075),
  "gpt-4.1": price(2, 8, 0.5),
  "gpt-4.1-mini": price(0.4, 1.6, 0.1),
  "gpt-4.1-nano": price(0.1, 0.4, 0.025),
  o1: price(15, 60, 7.5),
  o3: price(2, 8, 0.5),
  "o3-mini": price(1.1, 4.4, 0.55),
  "o4-mini": price(1.1, 4.4, 0.275),
  "gpt-5": price(1.25, 10, 0.125),
  "gpt-5-mini": price(0.25, 2, 0.025),
  "gpt-5-nano": price(0.05, 0.4, 0.005),
  "gpt-5.1": price(1.25, 10, 0.125),
  // Anthropic (cache reads at a tenth of the input price)
  "claude-opus-4-5": price(5, 25, 0.5),
  "claude-opus-4-1": price(15, 75, 1.5),
  "claude-opus-4": price(15, 75, 1.5),
  "claude-sonnet-4-5": price(3, 15, 0.3),
  "claude-sonnet-4": price(3, 15, 0.3),
  "claude-3-7-sonnet": price(3, 15, 0.3),
  "claude-3-5-sonnet": price(3, 15, 0.3),
  "claude-haiku-4-5": price(1, 5, 0.1),
  "claude-3-5-haiku": price(0.8, 4, 0.08),
  // Google Gemini
  "gemini-3-pro-preview": price(2, 12, 0.2),
  "gemini-2.5-pro": price(1.25, 10, 0.125),
  "gemini-2.5-flash": price(0.3, 2.5, 0.03),
  "gemini-2.5-flash-lite": price(0.1, 0.4, 0.01),
  "gemini-2.0-flash": price(0.1, 0.4, 0.025),
  // xAI
  "grok-4": price(3, 15, 0.75),
  "grok-4-fast": price(0.2, 0.5, 0.05),
  "grok-4-fast-reasoning": price(0.2, 0.5, 0.05),
  "grok-4-fast-non-reasoning": price(0.2, 0.5, 0.05),
  "grok-code-fast-1": price(0.2, 1.5, 0.02),
  "grok-3": price(3, 15, 0.75),
  "grok-3-mini": price(0.3, 0.5, 0.075),
  // Mistral
  "mistral-large-latest": price(2, 6),
  "mistral-medium-latest": price(0.4, 2),
  "mistral-small-latest": price(0.1, 0.3),
  "codestral-latest": price(0.3, 0.9),
  // DeepSeek (V3.2 prices; cache hits reported as prompt_cache_hit_tokens)
  "deepseek-chat": price(0.28, 0.42, 0.028),
  "deepseek-reasoner": price(0.28, 0.42, 0.028),
  // Hosted open-weight models
  "groq/llama-3.3-70b-versatile": price(0.59, 0.79),
  "groq/llama-3.1-8b-instant": price(0.05, 0.08),
  "groq/openai/gpt-oss-120b": price(0.15, 0.75),
  "groq/openai/gpt-oss-20b": price(0.1, 0.5),
  "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo": price(0.88, 0.88),
  "bedrock/openai.gpt-oss-120b-1:0": price(0.15, 0.6),
  "bedrock/openai.gpt-oss-20b-1:0": price(0.07, 0.3),
};

const PriceTableSchema = z.record(
  z.string(),
  z.strictObject({ input: z.number().min(0), output: z.number().min(0), cached_input: z.number().min(0).optional() }),
);

/**
 * The price of a model: an exact entry for the full name (`openai/gpt-4o`) or the bare name (`gpt-4o`),
 * else the longest entry the bare name starts with at a word boundary (`gpt-4o-2024-08-06` → `gpt-4o`).
 * `provider` (the route's provider) lets `<provider>/<model>` entries price hosted open-weight models.
 * Unknown models cost nothing rather than a guess.
 */
export function priceOf(model: string, table: PriceTable = DEFAULT_PRICES, provider?: string): ModelPrice | null {
  const qualified = provider ? table[`${provider}/${model}`] : undefined;
  if (qualified) return qualified;
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

export interface CostOptions {
  /** Prompt tokens the provider served from its cache (a part of `promptTokens`). */
  cachedPromptTokens?: number;
  provider?: string;
}

/**
 * Cost of one call. `completionTokens` already contains the reasoning tokens (OpenAI reports them as a
 * breakdown of completion_tokens), so reasoning is billed at the output price without being counted twice.
 * Cached prompt tokens are a part of `promptTokens` billed at the cached-input price when the table has one.
 */
export function costOf(
  model: string,
  usage: Pick<LlmUsage, "promptTokens" | "completionTokens">,
  table?: PriceTable,
  options: CostOptions = {},
): number {
  const found = priceOf(model, table, options.provider);
  if (!found) return 0;
  const cached = Math.min(Math.max(0, options.cachedPromptTokens ?? 0), usage.promptTokens);
  const cachedRate = found.cachedInput ?? found.input;
  return ((usage.promptTokens - cached) * found.input + cached * cachedRate + usage.completionTokens * found.output) / 1_000_000;
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
      `${PRICE_TABLE_ENV} (${source}) at ${where}: ${issue?.message ?? "invalid"}; expected {"<model>": {"input": <USD per 1M tokens>, "output": <USD per 1M tokens>, "cached_input"?: <USD per 1M tokens>}}`,
    );
  }
  return Object.fromEntries(
    Object.entries(parsed.data).map(([name, entry]) => [name, price(entry.input, entry.output, entry.cached_input)]),
  );
}
