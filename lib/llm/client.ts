/**
 * The one LLM client: OpenAI chat completions against any OpenAI-compatible base URL, with our own
 * retries, per-try timeouts, cancellation, usage and cost, and exactly one call record per logical call.
 */
import OpenAI from "openai";
import type { LLMParameters } from "@/lib/config";
import { type Environment, headerTemplateVariables, resolveHeaderTemplates } from "@/lib/config/env-refs";
import { redactText, secretsOf, withRedaction } from "@/lib/config/secret-redaction";
import { AtlasError } from "@/lib/errors";
import { isReasoningModel } from "./models";
import { costOf, type PriceTable, priceTableFromEnv } from "./pricing";
import {
  abortableSleep,
  backoffMs,
  classifyFailure,
  MalformedReplyError,
  maxTriesFor,
  type Sleep,
  type TryFailure,
} from "./retry";
import type { LlmCallRecord, LlmCallRecorder, LlmClient, LlmReply, LlmRequest, LlmUsage } from "./types";
import { extractReasoning, fromWireToolCalls, toWireMessages, toWireTools, usageOf } from "./wire";

/**
 * `llm.api_base: builtin:demo` selects the built-in scripted demo model (lib/llm/scripted/demo-script.ts):
 * a local OpenAI-compatible HTTP server that answers from a fixed script. It is not a real LLM.
 */
export const BUILTIN_DEMO_API_BASE = "builtin:demo";

const DEFAULT_API_BASE = "https://api.openai.com/v1";
/** Sent when no key is needed (local servers); the SDK insists on some string. */
const PLACEHOLDER_API_KEY = "no-key-needed";
/** Largest delay a Node timer accepts; the SDK's own timeout is disabled in favour of ours. */
const NO_SDK_TIMEOUT_MS = 2_147_483_647;

export interface LlmClientOptions {
  /** Where the API key and `${VAR}` header references are read, at call time. */
  env?: Environment;
  recorder?: LlmCallRecorder;
  /** Awaited before each call goes out (the run's events so far must be on their way to the store). */
  beforeRequest?: () => Promise<void>;
  /** Which config entry this client serves, e.g. "teacher.llm"; used in error messages. */
  label?: string;
  prices?: PriceTable;
  sleep?: Sleep;
  random?: () => number;
}

type WireParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type WireCompletion = OpenAI.Chat.Completions.ChatCompletion;

type TryOutcome =
  | { kind: "ok"; completion: WireCompletion }
  | { kind: "failed"; failure: TryFailure }
  | { kind: "cancelled" };

export function createLlmClient(params: LLMParameters, options: LlmClientOptions = {}): LlmClient {
  const env = options.env ?? process.env;
  const label = options.label ?? "llm";
  const prices = options.prices ?? priceTableFromEnv(env);
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const maxTries = maxTriesFor(params.retry?.attempts);
  const backoffSeconds = params.retry?.backoff_seconds ?? 1;

  // The key and header values are sent with every call; what comes back must not carry them on.
  const secrets = secretsOf([params.api_key_env, ...headerTemplateVariables(params.additional_headers ?? {})], env);
  const recorder = options.recorder;
  const redactingRecorder = recorder && ((record: LlmCallRecord) => recorder({ ...record, error: record.error === null ? null : redactText(record.error, secrets) }));

  async function complete(request: LlmRequest): Promise<LlmReply> {
    return withRedaction(secrets, () => completeOnce(request));
  }

  async function completeOnce(request: LlmRequest): Promise<LlmReply> {
    const cancelled = () => new AtlasError("cancelled", `${label} call to ${params.model} was cancelled`);
    if (request.signal?.aborted) throw cancelled();
    const sdk = await connect(params, env, label);
    if (request.signal?.aborted) throw cancelled();
    const body = buildRequestBody(params, request);
    await options.beforeRequest?.();
    const started = performance.now();
    let tries = 0;
    let lastFailure: TryFailure | null = null;

    const record = (usage: LlmUsage, costUsd: number, error: string | null) =>
      redactingRecorder?.({
        actor: request.actor,
        stage: request.stage,
        model: params.model,
        ...(request.stepId === undefined ? {} : { stepId: request.stepId }),
        ...(request.attempt === undefined ? {} : { attempt: request.attempt }),
        ...usage,
        latencyMs: elapsedSince(started),
        costUsd,
        tries,
        error,
      });

    while (tries < maxTries) {
      if (tries > 0 && lastFailure) {
        try {
          await sleep(backoffMs(tries + 1, backoffSeconds, lastFailure.retryAfterMs, random), request.signal);
        } catch {
          record(ZERO_USAGE, 0, "cancelled");
          throw cancelled();
        }
      }
      tries += 1;
      const outcome = await tryOnce(sdk, body, request.signal, params.timeout_seconds);
      if (outcome.kind === "cancelled") {
        record(ZERO_USAGE, 0, "cancelled");
        throw cancelled();
      }
      if (outcome.kind === "ok") {
        const reply = toReply(outcome.completion, params.model, prices, tries, elapsedSince(started));
        record(reply.usage, reply.costUsd, null);
        return reply;
      }
      lastFailure = outcome.failure;
      if (!lastFailure.retryable) break;
    }

    const reason = lastFailure?.reason ?? "unknown error";
    record(ZERO_USAGE, 0, reason);
    throw new AtlasError(
      "llm_error",
      `${label} call to ${params.model} failed after ${tries} ${tries === 1 ? "try" : "tries"}: ${reason}`,
    );
  }

  return { model: params.model, complete };
}

const ZERO_USAGE: LlmUsage = { promptTokens: 0, completionTokens: 0, reasoningTokens: 0 };

/** Reads the key and header secrets now (not at config load) and builds an SDK client without its own retries. */
async function connect(params: LLMParameters, env: Environment, label: string): Promise<OpenAI> {
  const builtinDemo = params.api_base === BUILTIN_DEMO_API_BASE;
  const baseURL = builtinDemo ? (await startBuiltinDemo()).url : (params.api_base ?? DEFAULT_API_BASE);
  return new OpenAI({
    apiKey: builtinDemo ? PLACEHOLDER_API_KEY : apiKeyFrom(params, env, label),
    baseURL,
    organization: params.organization ?? null,
    project: null,
    defaultHeaders: resolveHeaderTemplates(params.additional_headers ?? {}, env),
    maxRetries: 0,
    timeout: NO_SDK_TIMEOUT_MS,
  });
}

async function startBuiltinDemo() {
  const { startDemoLlm } = await import("./scripted/demo-script");
  return startDemoLlm();
}

function apiKeyFrom(params: LLMParameters, env: Environment, label: string): string {
  // `api_key_env: null` (an Atlas extension) marks servers that need no key: Ollama, vLLM, the demo.
  const variable = params.api_key_env;
  if (variable === null) return PLACEHOLDER_API_KEY;
  const key = env[variable];
  if (key === undefined || key === "") {
    throw new AtlasError("missing_secret", `environment variable ${variable} is not set (needed by ${label})`);
  }
  return key;
}

export function buildRequestBody(params: LLMParameters, request: LlmRequest): WireParams {
  const body: WireParams = { model: params.model, messages: toWireMessages(request.messages) };
  const maxTokens = request.maxTokens ?? params.max_output_tokens ?? null;
  if (isReasoningModel(params.model)) {
    if (params.reasoning_effort) body.reasoning_effort = params.reasoning_effort;
    if (maxTokens !== null) body.max_completion_tokens = maxTokens;
  } else {
    body.temperature = request.temperature ?? params.temperature;
    if (params.top_p !== null && params.top_p !== undefined) body.top_p = params.top_p;
    if (maxTokens !== null) body.max_tokens = maxTokens;
  }
  if (request.responseFormat) {
    body.response_format = request.responseFormat as unknown as WireParams["response_format"];
  } else if (request.json) {
    body.response_format = { type: "json_object" };
  }
  if (request.tools && request.tools.length > 0) {
    body.tools = toWireTools(request.tools);
    if (request.toolChoice) body.tool_choice = request.toolChoice;
  }
  return body;
}

/** One HTTP try, bounded by the per-try timeout and the caller's signal. */
async function tryOnce(
  sdk: OpenAI,
  body: WireParams,
  callerSignal: AbortSignal | undefined,
  timeoutSeconds: number,
): Promise<TryOutcome> {
  if (callerSignal?.aborted) return { kind: "cancelled" };
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    timeoutSeconds > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutSeconds * 1000)
      : null;
  const forwardAbort = () => controller.abort();
  callerSignal?.addEventListener("abort", forwardAbort, { once: true });
  try {
    const completion: unknown = await sdk.chat.completions.create(body, { signal: controller.signal });
    return { kind: "ok", completion: asCompletion(completion) };
  } catch (error) {
    if (callerSignal?.aborted) return { kind: "cancelled" };
    return { kind: "failed", failure: classifyFailure(error, timedOut, timeoutSeconds) };
  } finally {
    if (timer) clearTimeout(timer);
    callerSignal?.removeEventListener("abort", forwardAbort);
  }
}

function asCompletion(value: unknown): WireCompletion {
  const choices = (value as { choices?: unknown } | null)?.choices;
  if (typeof value !== "object" || value === null || !Array.isArray(choices)) {
    const preview = typeof value === "string" ? `: ${value.slice(0, 120)}` : "";
    throw new MalformedReplyError(`malformed response: not a chat completion (no choices)${preview}`);
  }
  const message = (choices[0] as { message?: unknown } | undefined)?.message;
  if (typeof message !== "object" || message === null) {
    throw new MalformedReplyError("malformed response: the first choice has no message");
  }
  return value as WireCompletion;
}

function toReply(completion: WireCompletion, model: string, prices: PriceTable, tries: number, latencyMs: number): LlmReply {
  const message = completion.choices[0]?.message;
  const usage = usageOf(completion.usage);
  return {
    content: typeof message?.content === "string" ? message.content : "",
    toolCalls: fromWireToolCalls(message?.tool_calls),
    reasoning: extractReasoning(message, completion.usage),
    model: typeof completion.model === "string" && completion.model !== "" ? completion.model : model,
    usage,
    costUsd: costOf(model, usage, prices),
    latencyMs,
    tries,
  };
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}
