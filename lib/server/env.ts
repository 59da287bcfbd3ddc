/**
 * Every environment variable Atlas itself reads: its schema, default and description, in one place.
 * Variables are read when a value is needed, from the environment object the caller holds (the
 * process environment by default), so tests and the CLI can pass their own.
 *
 * Not here on purpose: the variables configs name (`api_key_env`, `${VAR}` in header values), looked up
 * by name in that same environment object; the provider endpoint variables (`ATLAS_<PROVIDER>_BASE_URL`,
 * `OPENAI_BASE_URL`, `AZURE_OPENAI_ENDPOINT`, `AZURE_OPENAI_API_VERSION`, `AWS_REGION`), which the LLM
 * client reads from the environment it is handed in the same way (lib/llm/route.ts, the README's
 * Providers section); the ones Next.js sets for itself (NEXT_RUNTIME,
 * NEXT_PHASE); HOME; and the settings of tests and benchmarks (ATLAS_TEST_*, E2E_*, BENCH_*).
 * The README's Environment table lists exactly these variables (env.test.ts checks it).
 */
import "server-only";
import path from "node:path";
import { z } from "zod";
import type { Environment } from "@/lib/config/env-refs";
import { AtlasError } from "@/lib/errors";

/** Unset and blank (after trimming) are the same: the default applies. */
const text = () => z.string().trim().transform((value) => (value === "" ? undefined : value)).optional();
const textOr = (fallback: string) => text().transform((value) => value ?? fallback);

const positiveInteger = (name: string, fallback: number) =>
  text().transform((value, context) => {
    if (value === undefined) return fallback;
    const number = Number(value);
    if (Number.isInteger(number) && number >= 1) return number;
    context.addIssue({ code: "custom", message: `${name} must be a positive integer, got ${JSON.stringify(value)}` });
    return z.NEVER;
  });

const port = (name: string, fallback: number) =>
  text().transform((value, context) => {
    if (value === undefined) return fallback;
    const number = Number(value);
    if (/^\d+$/.test(value) && number >= 1 && number <= 65_535) return number;
    context.addIssue({ code: "custom", message: `${name} must be a port number from 1 to 65535, got ${JSON.stringify(value)}` });
    return z.NEVER;
  });

const DRIVERS = ["pglite", "postgres", "neon"] as const;
const driver = (name: string) =>
  text().transform((value, context) => {
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if ((DRIVERS as readonly string[]).includes(lower)) return lower as (typeof DRIVERS)[number];
    context.addIssue({ code: "custom", message: `${name} must be pglite, postgres or neon (got "${value}")` });
    return z.NEVER;
  });

/** Entries separated by `separator`, trimmed, blanks dropped; unset or empty: an empty list. */
const list = (separator: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value ?? "").split(separator).map((entry) => entry.trim()).filter(Boolean));

/** Set to a non-empty value: on. */
const flag = () => z.string().optional().transform((value) => value !== undefined && value !== "");

interface Variable<Schema extends z.ZodType> {
  schema: Schema;
  /** The default as a person reads it. */
  default: string;
  description: string;
}

const variable = <Schema extends z.ZodType>(definition: Variable<Schema>) => definition;

export const ENV_VARIABLES = {
  DATABASE_URL: variable({
    schema: text(),
    default: "unset",
    description:
      "unset → embedded PGlite; `postgres://…` → PostgreSQL via node-postgres; a `*.neon.tech` URL → Neon serverless driver",
  }),
  ATLAS_DB_DRIVER: variable({ schema: driver("ATLAS_DB_DRIVER"), default: "auto", description: "force `pglite`, `postgres` or `neon`" }),
  ATLAS_DATA_DIR: variable({
    schema: textOr(".atlas/pgdata"),
    default: "`.atlas/pgdata`",
    description:
      "folder of the embedded database (created if missing; `memory://` keeps it in memory). One process at a time: a " +
      "second opener (say `atlas run` while the dashboard runs) is refused with a clear message; share a PostgreSQL via " +
      "`DATABASE_URL` instead",
  }),
  ATLAS_NEON_WS_PROXY: variable({
    schema: text(),
    default: "unset",
    description: "`host:port/path` of a WebSocket→TCP proxy, to use the Neon driver against a plain PostgreSQL",
  }),
  ATLAS_MIGRATIONS_DIR: variable({
    schema: text(),
    default: "`drizzle/` of the install",
    description: "folder of the generated migrations, for an install whose sources are elsewhere",
  }),
  HOST: variable({ schema: textOr("127.0.0.1"), default: "`127.0.0.1`", description: "where `atlas serve` / `npm start` listens" }),
  PORT: variable({ schema: port("PORT", 3000), default: "`3000`", description: "the port `atlas serve` / `npm start` listens on" }),
  ATLAS_TOKEN: variable({
    schema: z.string().optional().transform((value) => (value === "" ? undefined : value)),
    default: "unset",
    description:
      "required when `HOST` is not loopback; every page, API route, event stream and download then needs it (see [Security](#security))",
  }),
  ATLAS_PUBLIC_ORIGIN: variable({
    schema: list(","),
    default: "unset",
    description:
      "comma-separated origins the dashboard is also reached at, e.g. `https://atlas.example.com` behind a reverse proxy: their host names are accepted in `Host`, the origins in `Origin`",
  }),
  ATLAS_AGENT_PATHS: variable({
    schema: list(path.delimiter),
    default: "`configs/` (and `ATLAS_CONFIGS_DIR` when set)",
    description:
      "folders, separated by `:`, that `python` and `module` agents of configs sent to the server may load code from",
  }),
  ATLAS_MAX_CONCURRENT_RUNS: variable({
    schema: positiveInteger("ATLAS_MAX_CONCURRENT_RUNS", 2),
    default: "`2`",
    description: "how many runs the dashboard executes at once; further runs wait in a queue",
  }),
  ATLAS_ENDPOINT_CONCURRENCY: variable({
    schema: positiveInteger("ATLAS_ENDPOINT_CONCURRENCY", 16),
    default: "`16`",
    description:
      "how many requests one model endpoint (base URL) gets at once from this process, across every run; after a 429 " +
      "the whole endpoint waits out the Retry-After (or the back-off) before any request to it starts",
  }),
  ATLAS_PRICE_TABLE: variable({
    schema: text(),
    default: "built in",
    description:
      "JSON (inline or a file path) overriding or extending the USD-per-million-token price table used for cost: " +
      '`{"<model>": {"input": 1, "output": 2, "cached_input": 0.1}}`',
  }),
  ATLAS_PYTHON: variable({
    schema: textOr("python3"),
    default: "`python3`",
    description: "the Python interpreter that runs `python` agents",
  }),
  ATLAS_CONFIGS_DIR: variable({
    schema: text(),
    default: "`configs/examples`",
    description:
      "folder of the read-only example configs offered on the dashboard (relative to the working directory); relative " +
      "agent paths of saved and inline configs resolve against it",
  }),
  ATLAS_CAPTURE_CALLS: variable({
    schema: z
      .string()
      .optional()
      .transform((value) => !["0", "false", "off", "no"].includes((value ?? "").trim().toLowerCase())),
    default: "`1`",
    description:
      "`0`: store no call's request or reply (prompts, answers), whatever the config's `capture_calls` says; timing, tokens and cost are still kept",
  }),
  ATLAS_DEBUG: variable({ schema: flag(), default: "unset", description: "any value: the CLI prints the stack of an unexpected error" }),
  NO_COLOR: variable({ schema: flag(), default: "unset", description: "any value: `atlas run` prints its live telemetry without colour" }),
  ATLAS_ALERT_WEBHOOK_URL: variable({
    schema: text().pipe(z.url({ protocol: /^https?$/, error: "ATLAS_ALERT_WEBHOOK_URL must be an http(s) URL" }).optional()),
    default: "unset",
    description:
      "drift and failure-rate alerts of configs with `runtime_safety` are POSTed here as JSON (see [Drift alerts](#review-labels-and-drift-alerts))",
  }),
  ATLAS_NO_SIGNAL_HANDLERS: variable({
    schema: z.string().optional().transform((value) => value === "1"),
    default: "unset",
    description: "`1`: the server installs no SIGINT/SIGTERM handlers (for a host process that embeds it, such as tests)",
  }),
} satisfies Record<string, Variable<z.ZodType>>;

export type EnvName = keyof typeof ENV_VARIABLES;
export type AtlasEnv = { [Name in EnvName]: z.output<(typeof ENV_VARIABLES)[Name]["schema"]> };

function issueMessage(name: string, error: z.ZodError): string {
  return error.issues.map((issue) => (issue.code === "custom" ? issue.message : `${name}: ${issue.message}`)).join("; ");
}

/** One variable, parsed with its default; an AtlasError naming the variable when its value is wrong. */
export function readEnv<Name extends EnvName>(name: Name, source: Environment = process.env): AtlasEnv[Name] {
  const parsed = ENV_VARIABLES[name].schema.safeParse(source[name]);
  if (!parsed.success) throw new AtlasError("invalid_input", issueMessage(name, parsed.error));
  return parsed.data as AtlasEnv[Name];
}

/** Every variable at once; one AtlasError with an issue per wrong variable. */
export function parseEnv(source: Environment = process.env): AtlasEnv {
  const values: Partial<Record<EnvName, unknown>> = {};
  const issues: { path: string; message: string }[] = [];
  for (const name of Object.keys(ENV_VARIABLES) as EnvName[]) {
    const parsed = ENV_VARIABLES[name].schema.safeParse(source[name]);
    if (parsed.success) values[name] = parsed.data;
    else issues.push({ path: name, message: issueMessage(name, parsed.error) });
  }
  if (issues.length > 0) {
    throw new AtlasError("invalid_input", `invalid environment: ${issues.map((issue) => issue.message).join("; ")}`, { issues });
  }
  return values as AtlasEnv;
}
