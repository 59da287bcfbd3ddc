/**
 * The one LLM client: OpenAI chat completions against any OpenAI-compatible base URL, with our own
 * retries, per-try timeouts, cancellation, usage and cost, and exactly one call record per logical call.
 */
import OpenAI, { AzureOpenAI } from "openai";
import type { LLMParameters } from "@/lib/config";
import { type Environment, headerTemplateVariables, resolveHeaderTemplates } from "@/lib/config/env-refs";
import { redactText, redactValue, secretsOf, withRedaction } from "@/lib/config/secret-redaction";
import { AtlasError } from "@/lib/errors";
import { readEnv } from "@/lib/server/env";
import { endpointGate, type EndpointGate } from "./endpoint-gate";
import { costOf, type PriceTable, priceTableFromEnv } from "./pricing";
import { buildRequestBody, type WireParams } from "./request-body";
import {
  abortableSleep,
  backoffMs,
  classifyFailure,
  type FailureTarget,
  MalformedReplyError,
  maxTriesFor,
  type Sleep,
  type TryFailure,
} from "./retry";
import { BUILTIN_DEMO_API_BASE, missingEndpointHint, resolveRoute, type LlmRoute } from "./route";
import type { LlmCallRecord, LlmCallRecorder, LlmClient, LlmExchange, LlmReply, LlmRequest, LlmUsage } from "./types";
import { cachedPromptTokensOf, extractReasoning, fromWireToolCalls, usageOf } from "./wire";

export { BUILTIN_DEMO_API_BASE };

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
  /** Tries per call instead of the retry policy's (`atlas doctor --ping` makes exactly one). */
  maxTries?: number;
  /** The gate of the call's endpoint (default: this process's gate for its base URL, `ATLAS_ENDPOINT_CONCURRENCY`). */
  gate?: (baseUrl: string) => EndpointGate;
}

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
  const maxTries = options.maxTries ?? maxTriesFor(params.retry?.attempts);
  const backoffSeconds = params.retry?.backoff_seconds ?? 1;

  // The key and header values are sent with every call; what comes back must not carry them on.
  const secrets = secretsOf([params.api_key_env, ...headerTemplateVariables(params.additional_headers ?? {})], env);
  const recorder = options.recorder;
  const redactingRecorder =
    recorder &&
    ((record: LlmCallRecord) =>
      recorder({
        ...record,
        error: record.error === null ? null : redactText(record.error, secrets),
        exchange: redactValue(record.exchange, secrets),
      }));

  async function complete(request: LlmRequest): Promise<LlmReply> {
    return withRedaction(secrets, () => completeOnce(request));
  }

  async function completeOnce(request: LlmRequest): Promise<LlmReply> {
    const cancelled = () => new AtlasError("cancelled", `${label} call to ${params.model} was cancelled`);
    if (request.signal?.aborted) throw cancelled();
    const route = resolveRoute(params, env);
    const sdk = await connect(params, route, env, label);
    if (request.signal?.aborted) throw cancelled();
    const body = buildRequestBody(params, route, request);
    const target: FailureTarget = { baseUrl: sdk.baseURL, model: route.model };
    const gate = options.gate ? options.gate(sdk.baseURL) : endpointGate(sdk.baseURL, readEnv("ATLAS_ENDPOINT_CONCURRENCY", env));
    await options.beforeRequest?.();
    const started = performance.now();
    let tries = 0;
    let lastFailure: TryFailure | null = null;

    const sentRequest = requestRecordOf(body);
    const record = (usage: LlmUsage, costUsd: number, error: string | null, reply: LlmExchange["reply"] = null) =>
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
        exchange: { request: sentRequest, reply },
      });

    while (tries < maxTries) {
      if (tries > 0 && lastFailure) {
        const wait = backoffMs(tries + 1, backoffSeconds, lastFailure.retryAfterMs, random);
        // Rate-limited: every call to the endpoint waits (in the gate), not only this one.
        if (lastFailure.rateLimited) gate.pause(wait);
        else {
          try {
            await sleep(wait, request.signal);
          } catch {
            record(ZERO_USAGE, 0, "cancelled");
            throw cancelled();
          }
        }
      }
      let release: () => void;
      try {
        release = await gate.acquire(request.signal);
      } catch {
        record(ZERO_USAGE, 0, "cancelled");
        throw cancelled();
      }
      tries += 1;
      const outcome = await tryOnce(sdk, body, request.signal, params.timeout_seconds, target).finally(release);
      if (outcome.kind === "cancelled") {
        record(ZERO_USAGE, 0, "cancelled");
        throw cancelled();
      }
      if (outcome.kind === "ok") {
        const reply = toReply(outcome.completion, { model: params.model, route, prices, tries, latencyMs: elapsedSince(started) });
        record(reply.usage, reply.costUsd, null, replyRecordOf(outcome.completion, reply));
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

/**
 * Reads the key and header secrets now (not at config load) and builds an SDK client without its own
 * retries: the Azure client for Azure OpenAI (deployment URLs, `api-key`, api-version), else the plain one.
 */
async function connect(params: LLMParameters, route: LlmRoute, env: Environment, label: string): Promise<OpenAI> {
  const common = {
    organization: params.organization ?? null,
    project: null,
    defaultHeaders: resolveHeaderTemplates(params.additional_headers ?? {}, env),
    maxRetries: 0,
    timeout: NO_SDK_TIMEOUT_MS,
  };
  if (route.builtinDemo) {
    return new OpenAI({ ...common, apiKey: PLACEHOLDER_API_KEY, baseURL: (await startBuiltinDemo()).url });
  }
  if (route.baseUrl === null) {
    throw new AtlasError("invalid_config", `${label}: ${missingEndpointHint(route)}`);
  }
  const apiKey = apiKeyFrom(route.keyEnv, env, label);
  if (route.azure) {
    // api_base / AZURE_OPENAI_ENDPOINT is the resource endpoint; the client adds /openai/deployments/<name>.
    return new AzureOpenAI({ ...common, apiKey, endpoint: route.baseUrl, deployment: route.azure.deployment, apiVersion: route.azure.apiVersion });
  }
  return new OpenAI({ ...common, apiKey, baseURL: route.baseUrl });
}

async function startBuiltinDemo() {
  const { startDemoLlm } = await import("./scripted/demo-script");
  return startDemoLlm();
}

function apiKeyFrom(variable: string | null, env: Environment, label: string): string {
  // `api_key_env: null` (an Atlas extension) marks servers that need no key: Ollama, vLLM, the demo.
  if (variable === null) return PLACEHOLDER_API_KEY;
  const key = env[variable];
  if (key === undefined || key === "") {
    throw new AtlasError("missing_secret", `environment variable ${variable} is not set (needed by ${label})`);
  }
  return key;
}

/** One HTTP try, bounded by the per-try timeout and the caller's signal. */
async function tryOnce(
  sdk: OpenAI,
  body: WireParams,
  callerSignal: AbortSignal | undefined,
  timeoutSeconds: number,
  target: FailureTarget,
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
    return { kind: "failed", failure: classifyFailure(error, timedOut, timeoutSeconds, target) };
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

interface ReplyContext {
  /** The model as configured: what call records and errors name. */
  model: string;
  route: LlmRoute;
  prices: PriceTable;
  tries: number;
  latencyMs: number;
}

function toReply(completion: WireCompletion, context: ReplyContext): LlmReply {
  const message = completion.choices[0]?.message;
  const usage = usageOf(completion.usage);
  const costUsd = costOf(context.route.model, usage, context.prices, {
    provider: context.route.provider,
    cachedPromptTokens: cachedPromptTokensOf(completion.usage),
  });
  return {
    content: typeof message?.content === "string" ? message.content : "",
    toolCalls: fromWireToolCalls(message?.tool_calls),
    reasoning: extractReasoning(message, completion.usage),
    model: typeof completion.model === "string" && completion.model !== "" ? completion.model : context.model,
    usage,
    costUsd,
    latencyMs: context.latencyMs,
    tries: context.tries,
  };
}

function requestRecordOf(body: WireParams): LlmExchange["request"] {
  const { messages, tools, ...parameters } = body;
  return { messages, ...(tools === undefined ? {} : { tools }), parameters };
}

function replyRecordOf(completion: WireCompletion, reply: LlmReply): NonNullable<LlmExchange["reply"]> {
  return {
    content: reply.content,
    tool_calls: reply.toolCalls,
    reasoning: reply.reasoning,
    finish_reason: completion.choices[0]?.finish_reason ?? null,
    model: reply.model,
  };
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}
