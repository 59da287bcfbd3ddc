/**
 * Up-front check that every API key a config needs is in the environment, so a run without one is
 * refused naming the variable instead of failing minutes later on its first LLM call. The dashboard
 * checks before it creates a session, `atlas run` before the session starts.
 */
import "server-only";
import type { AtlasConfig } from "@/lib/config";
import type { Environment } from "@/lib/config/env-refs";
import { configuredLlms } from "@/lib/config/llms";
import { AtlasError } from "@/lib/errors";
import { resolveRoute } from "@/lib/llm/route";

/** Each unset variable with the config paths that need it, in order of first use. */
export function missingApiKeys(config: AtlasConfig, env: Environment): { variable: string; neededBy: string[] }[] {
  const neededBy = new Map<string, string[]>();
  for (const { path, llm } of configuredLlms(config)) {
    const variable = resolveRoute(llm, env).keyEnv;
    if (variable === null) continue;
    const value = env[variable];
    if (value !== undefined && value !== "") continue;
    neededBy.set(variable, [...(neededBy.get(variable) ?? []), path]);
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
