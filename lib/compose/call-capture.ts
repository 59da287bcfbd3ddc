/**
 * What the engine is told about calls for one run: the secret values no stored record may contain
 * (every API key and `${VAR}` header value the config uses), and whether requests and replies are
 * stored at all (`capture_calls` in the config, `ATLAS_CAPTURE_CALLS=0` in the environment).
 */
import "server-only";
import type { AtlasConfig } from "@/lib/config";
import { headerTemplateVariables, type Environment } from "@/lib/config/env-refs";
import { configuredLlms } from "@/lib/config/llms";
import { secretsOf, type Secret } from "@/lib/config/secret-redaction";
import { resolveRoute } from "@/lib/llm/route";
import { callCapturer, type CallCapturer } from "@/lib/runtime/call-capture";
import { readEnv } from "@/lib/server/env";

export function configSecrets(config: AtlasConfig, env: Environment): Secret[] {
  const variables: (string | null)[] = [];
  const llms = configuredLlms(config).map(({ llm }) => llm);
  if (config.agent.type === "python" && config.agent.llm) llms.push(config.agent.llm);
  for (const llm of llms) {
    variables.push(resolveRoute(llm, env).keyEnv, llm.api_key_env ?? null, ...headerTemplateVariables(llm.additional_headers ?? {}));
  }
  if (config.agent.type === "http_api") variables.push(...headerTemplateVariables(config.agent.transport.headers));
  return secretsOf(variables, env);
}

/** The capturer for a run, or undefined when capture is switched off. */
export function capturerFor(config: AtlasConfig, env: Environment, secrets: readonly Secret[]): CallCapturer | undefined {
  if (!config.capture_calls || !readEnv("ATLAS_CAPTURE_CALLS", env)) return undefined;
  return callCapturer({ secrets });
}
