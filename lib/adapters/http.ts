/**
 * The `http_api` adapter: every agent call is one JSON POST to `transport.base_url`.
 */
import type { HttpAgentConfig } from "@/lib/config";
import { resolveHeaderTemplates } from "@/lib/config/env-refs";
import { headerSecrets, withRedaction } from "@/lib/config/secret-redaction";
import { AtlasError, errorMessage } from "@/lib/errors";
import { cancelledError, sleep, throwIfCancelled } from "./abort";
import type { AdapterContext, AgentAdapter, AgentCall, AgentReply } from "./types";

const ADAPTER_TYPE = "http_api";
const DEFAULT_RESULT_PATH = ["output"];
const ERROR_BODY_PREVIEW_CHARS = 200;

export function createHttpAdapter(config: HttpAgentConfig, context: AdapterContext): AgentAdapter {
  return {
    type: ADAPTER_TYPE,
    async invoke(call: AgentCall): Promise<AgentReply> {
      throwIfCancelled(call.signal, ADAPTER_TYPE);
      // Resolved per call, so a rotated secret is picked up and a missing one names itself before any request.
      const headers = {
        "content-type": "application/json",
        ...resolveHeaderTemplates(config.transport.headers, context.env),
      };
      const body = JSON.stringify(buildRequestBody(config.payload_template, call));
      // An agent (or a proxy in front of it) may echo the headers back, in its answer or its error page.
      return withRedaction(headerSecrets(config.transport.headers, context.env), async () => {
        const response = await postWithRetry(config.transport, headers, body, call.signal);
        return { text: extractResult(response, config.result_path ?? DEFAULT_RESULT_PATH) };
      });
    },
    async close() {},
  };
}

/** The template wins: `prompt` and `metadata` are only added when the template does not set them. */
export function buildRequestBody(template: Record<string, unknown>, call: Pick<AgentCall, "prompt" | "metadata">) {
  const body: Record<string, unknown> = structuredClone(template);
  if (!Object.hasOwn(body, "prompt")) body.prompt = call.prompt;
  if (Object.keys(call.metadata).length > 0 && !Object.hasOwn(body, "metadata")) body.metadata = call.metadata;
  return body;
}

type Transport = HttpAgentConfig["transport"];

async function postWithRetry(
  transport: Transport,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<unknown> {
  const tries = transport.retry.attempts;
  let lastError: unknown;
  for (let attempt = 1; attempt <= tries; attempt += 1) {
    try {
      return await postOnce(transport, headers, body, signal);
    } catch (error) {
      if (signal.aborted) throw cancelledError(ADAPTER_TYPE);
      lastError = error;
    }
    if (attempt < tries) await sleep(transport.retry.backoff_seconds * attempt * 1000, signal, ADAPTER_TYPE);
  }
  throw new AtlasError(
    "adapter_error",
    `http adapter failed to obtain a response from ${transport.base_url} after ${tries} ${tries === 1 ? "try" : "tries"}: ${describeFailure(lastError)}`,
    { cause: lastError },
  );
}

/** One try: network errors, timeouts, non-2xx statuses and unparseable bodies all throw (and are retried). */
async function postOnce(
  transport: Transport,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<unknown> {
  const timeout = transport.timeout_seconds > 0 ? AbortSignal.timeout(transport.timeout_seconds * 1000) : null;
  const trySignal = timeout ? AbortSignal.any([signal, timeout]) : signal;
  try {
    // Upstream (httpx with base_url + "") posts to base_url with a trailing slash appended.
    // We post to exactly the configured URL: `http://host/agent` stays `http://host/agent`.
    const response = await fetch(transport.base_url, { method: "POST", headers, body, signal: trySignal });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`HTTP ${response.status} ${response.statusText}: ${preview(text)}`.trimEnd());
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new Error(`response is not valid JSON (${errorMessage(error)}): ${preview(text)}`, { cause: error });
    }
  } catch (error) {
    if (timeout?.aborted && !signal.aborted) {
      throw new Error(`request timed out after ${transport.timeout_seconds} s`, { cause: error });
    }
    throw error;
  }
}

/**
 * Walks `path` through the parsed response. Not retried: the agent answered, just not in the expected shape.
 * Scalars are printed JavaScript-style (`null`, `true`), where upstream Python prints `None`, `True`.
 */
export function extractResult(response: unknown, path: readonly string[]): string {
  let node = response;
  const traversed: string[] = [];
  for (const key of path) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) {
      const reached = traversed.length > 0 ? traversed.join(".") : "the response root";
      throw new AtlasError(
        "adapter_error",
        `response missing key '${key}' while traversing result path ${JSON.stringify(path)} (reached ${reached})`,
      );
    }
    node = node[key];
    traversed.push(key);
  }
  if (typeof node === "string") return node;
  if (node !== null && typeof node === "object") return JSON.stringify(node);
  return String(node);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function preview(text: string): string {
  return text.length > ERROR_BODY_PREVIEW_CHARS ? `${text.slice(0, ERROR_BODY_PREVIEW_CHARS)}…` : text;
}

/** undici reports "fetch failed" and hides the useful part (ECONNREFUSED, …) in `cause`. */
function describeFailure(error: unknown): string {
  const message = errorMessage(error);
  const cause = error instanceof Error ? error.cause : undefined;
  if (error instanceof TypeError && cause !== undefined) return `${message} (${errorMessage(cause)})`;
  return message;
}
