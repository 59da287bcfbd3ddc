/**
 * `${VAR}` references in HTTP header values, resolved when a request is sent so secrets stay out of configs.
 * Browser-safe: the environment is passed in.
 */
import { AtlasError } from "@/lib/errors";

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export type Environment = Readonly<Record<string, string | undefined>>;

/** Names of the environment variables referenced by the header values, in order of first use. */
export function headerTemplateVariables(headers: Readonly<Record<string, string>>): string[] {
  const names = Object.values(headers).flatMap((value) => [...value.matchAll(ENV_REFERENCE)].map((match) => match[1] ?? ""));
  return [...new Set(names)];
}

/**
 * Replaces every `${VAR}` in the header values with `env[VAR]`.
 * An unset or empty variable is an error: sending `Authorization: Bearer ` silently would only fail later, less clearly.
 */
export function resolveHeaderTemplates(
  headers: Readonly<Record<string, string>>,
  env: Environment,
): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [header, template] of Object.entries(headers)) {
    resolved[header] = template.replace(ENV_REFERENCE, (_reference, name: string) => {
      const value = env[name];
      if (value === undefined || value === "") {
        throw new AtlasError(
          "missing_secret",
          `environment variable ${name} is not set (referenced by HTTP header "${header}")`,
        );
      }
      return value;
    });
  }
  return resolved;
}
