/**
 * Secrets are resolved when a call is made and must not leave it: whatever comes back from the call
 * (a reply that echoes its headers, an error that quotes the request) has each secret value replaced by
 * `[redacted VAR]` before anything stores, logs or shows it. Browser-safe.
 */
import { AtlasError, isAtlasError } from "@/lib/errors";
import { headerTemplateVariables, type Environment } from "./env-refs";

export interface Secret {
  variable: string;
  value: string;
}

/** Shorter values would redact ordinary text; no real key or token is this short. */
const MIN_SECRET_LENGTH = 6;

/** The values of the named variables that are set, longest first (so a key containing another is replaced whole). */
export function secretsOf(variables: Iterable<string | null | undefined>, env: Environment): Secret[] {
  const secrets = new Map<string, Secret>();
  for (const variable of variables) {
    if (!variable) continue;
    const value = env[variable];
    if (value && value.length >= MIN_SECRET_LENGTH) secrets.set(value, { variable, value });
  }
  return [...secrets.values()].sort((a, b) => b.value.length - a.value.length);
}

export function headerSecrets(headers: Readonly<Record<string, string>>, env: Environment): Secret[] {
  return secretsOf(headerTemplateVariables(headers), env);
}

export function redactText(text: string, secrets: readonly Secret[]): string {
  let redacted = text;
  for (const { variable, value } of secrets) redacted = redacted.split(value).join(`[redacted ${variable}]`);
  return redacted;
}

/** Every string in a plain value (reply objects, tool-call arguments), structure kept. */
export function redactValue<T>(value: T, secrets: readonly Secret[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === "string") return redactText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets)) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, secrets)])) as T;
  }
  return value;
}

/** The same error with its message and issues redacted (an AtlasError keeps its code). */
export function redactError(error: unknown, secrets: readonly Secret[]): unknown {
  if (secrets.length === 0) return error;
  if (isAtlasError(error)) {
    const issues = error.issues?.map((issue) => ({ ...issue, message: redactText(issue.message, secrets) }));
    return new AtlasError(error.code, redactText(error.message, secrets), { issues });
  }
  if (error instanceof Error) {
    const copy = new Error(redactText(error.message, secrets));
    copy.name = error.name;
    return copy;
  }
  return typeof error === "string" ? redactText(error, secrets) : error;
}

/** Runs a call whose results may echo secrets: its value and its error come back redacted. */
export async function withRedaction<T>(secrets: readonly Secret[], call: () => Promise<T>): Promise<T> {
  try {
    return redactValue(await call(), secrets);
  } catch (error) {
    throw redactError(error, secrets);
  }
}
