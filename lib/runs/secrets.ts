/**
 * Up-front check that every API key a config needs is in the environment, so a run without one is
 * refused with a 400 naming the variable instead of failing minutes later on its first LLM call.
 */
import "server-only";
import type { AtlasConfig, LLMParameters } from "@/lib/config";
import type { Environment } from "@/lib/config/env-refs";
import { AtlasError } from "@/lib/errors";

export const BUILTIN_DEMO_API_BASE = "builtin:demo";

/** Each unset variable with the config paths that need it, in order of first use. */
export function missingApiKeys(config: AtlasConfig, env: Environment): { variable: string; neededBy: string[] }[] {
  const neededBy = new Map<string, string[]>();
  for (const [path, llm] of llmsOf(config)) {
    if (!llm || llm.api_key_env === null || llm.api_base === BUILTIN_DEMO_API_BASE) continue;
    const value = env[llm.api_key_env];
    if (value !== undefined && value !== "") continue;
    neededBy.set(llm.api_key_env, [...(neededBy.get(llm.api_key_env) ?? []), path]);
  }
  return [...neededBy].map(([variable, paths]) => ({ variable, neededBy: paths }));
}

export function assertApiKeysPresent(config: AtlasConfig, env: Environment): void {
  const missing = missingApiKeys(config, env);
  if (missing.length === 0) return;
  const message = missing
    .map(({ variable, neededBy }) => `environment variable ${variable} is not set (needed by ${neededBy.join(", ")})`)
    .join("; ");
  throw new AtlasError("missing_secret", message, {
    issues: missing.flatMap(({ variable, neededBy }) =>
      neededBy.map((path) => ({ path: `${path}.api_key_env`, message: `${variable} is not set` })),
    ),
  });
}

function llmsOf(config: AtlasConfig): [string, LLMParameters | null][] {
  const agent = config.agent;
  return [
    ["teacher.llm", config.teacher.llm],
    ["rim.small_model", config.rim.small_model],
    ["rim.large_model", config.rim.large_model],
    ["agent.llm", agent.type === "openai" || agent.type === "litellm" ? agent.llm : null],
  ];
}
