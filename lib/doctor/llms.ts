/**
 * The LLM half of the check: each configured LLM's route, its key, and with `ping` one tiny request.
 */
import type { Environment } from "@/lib/config/env-refs";
import type { ConfiguredLlm } from "@/lib/config/llms";
import { errorMessage } from "@/lib/errors";
import { createLlmClient } from "@/lib/llm/client";
import { missingEndpointHint, resolveRoute } from "@/lib/llm/route";
import type { LlmCheck, PingResult } from "./report";

/** Enough for any model to answer; reasoning models may spend it all thinking, which still proves the route. */
const PING_MAX_TOKENS = 16;

export async function checkLlm(entry: ConfiguredLlm, env: Environment, ping: boolean): Promise<{ check: LlmCheck; problems: string[] }> {
  const route = resolveRoute(entry.llm, env);
  const keySet = route.keyEnv === null ? null : Boolean(env[route.keyEnv]);
  const check: LlmCheck = {
    path: entry.path,
    provider: route.builtinDemo ? "builtin demo" : route.provider,
    provider_chosen_by: route.builtinDemo ? "api_base" : route.providerChosenBy,
    base_url: route.baseUrl,
    base_url_from: route.baseUrlFrom,
    model: route.model,
    key_env: route.keyEnv,
    key_set: keySet,
  };
  const problems: string[] = [];
  if (route.baseUrl === null) problems.push(`${entry.path}: ${missingEndpointHint(route)}`);
  if (keySet === false) problems.push(`${entry.path}: environment variable ${route.keyEnv} is not set`);
  if (ping && problems.length === 0) {
    check.ping = await pingLlm(entry, env);
    if (!check.ping.ok) problems.push(`${entry.path}: ${check.ping.error}`);
  }
  return { check, problems };
}

async function pingLlm(entry: ConfiguredLlm, env: Environment): Promise<PingResult> {
  const client = createLlmClient(entry.llm, { env, label: entry.path, maxTries: 1 });
  const started = performance.now();
  try {
    await client.complete({
      actor: "system",
      stage: "doctor",
      messages: [{ role: "user", content: "Reply with the single word OK." }],
      maxTokens: PING_MAX_TOKENS,
    });
    return { ok: true, latency_ms: Math.round(performance.now() - started), error: null };
  } catch (error) {
    return { ok: false, latency_ms: null, error: errorMessage(error) };
  }
}
