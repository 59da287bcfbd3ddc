/**
 * Every API route and method the server answers, with the body each accepts. The request guard denies
 * whatever is not listed here, so a route added later answers only once it has an entry (a test checks
 * that every method exported by app/api/**\/route.ts is listed).
 */

export type BodyKind = "none" | "json" | "ndjson";

export interface MethodPolicy {
  body: BodyKind;
  /** Largest accepted body in bytes (413 beyond it). */
  limitBytes: number;
}

export interface RoutePolicy {
  /** `/api/sessions/:id/cancel`; `*name` matches one or more segments. */
  pattern: string;
  methods: Partial<Record<"GET" | "POST" | "PUT" | "DELETE" | "PATCH", MethodPolicy>>;
}

const KIB = 1024;
const MIB = 1024 * KIB;

/** A config text is at most 512 Ki characters; in UTF-8, with the JSON around it, this leaves room. */
export const CONFIG_BODY_LIMIT = 2 * MIB;
export const IMPORT_BODY_LIMIT = 64 * MIB;
export const EMPTY_BODY_LIMIT = 1 * KIB;
/** Up to 10,000 tasks with their expected answers and metadata. */
export const TASK_SET_BODY_LIMIT = 32 * MIB;

const read: MethodPolicy = { body: "none", limitBytes: EMPTY_BODY_LIMIT };

export const ROUTE_POLICIES: readonly RoutePolicy[] = [
  { pattern: "/api/health", methods: { GET: read } },
  { pattern: "/api/login", methods: { POST: { body: "json", limitBytes: 4 * KIB } } },
  { pattern: "/api/overview", methods: { GET: read } },
  { pattern: "/api/runs", methods: { POST: { body: "json", limitBytes: CONFIG_BODY_LIMIT } } },
  { pattern: "/api/sessions", methods: { GET: read } },
  { pattern: "/api/sessions/:id", methods: { GET: read } },
  { pattern: "/api/sessions/:id/cancel", methods: { POST: { body: "none", limitBytes: EMPTY_BODY_LIMIT } } },
  { pattern: "/api/sessions/:id/events", methods: { GET: read } },
  { pattern: "/api/sessions/:id/event-log", methods: { GET: read } },
  { pattern: "/api/sessions/:id/export", methods: { GET: read } },
  { pattern: "/api/sessions/:id/steps/:stepId", methods: { GET: read } },
  { pattern: "/api/sessions/:id/review", methods: { GET: read, POST: { body: "json", limitBytes: 16 * KIB } } },
  { pattern: "/api/sessions/:id/labels", methods: { GET: read, POST: { body: "json", limitBytes: 16 * KIB } } },
  { pattern: "/api/judges/agreement", methods: { GET: read } },
  { pattern: "/api/rejudge", methods: { POST: { body: "json", limitBytes: CONFIG_BODY_LIMIT } } },
  { pattern: "/api/rejudge/:id", methods: { GET: read } },
  { pattern: "/api/sessions/:id/judgements", methods: { GET: read } },
  { pattern: "/api/sessions/:id/calls", methods: { GET: read } },
  { pattern: "/api/sessions/:id/calls/:callId", methods: { GET: read } },
  { pattern: "/api/export", methods: { GET: read } },
  { pattern: "/api/export/count", methods: { GET: read } },
  { pattern: "/api/import", methods: { POST: { body: "ndjson", limitBytes: IMPORT_BODY_LIMIT } } },
  { pattern: "/api/configs", methods: { GET: read } },
  { pattern: "/api/configs/schema", methods: { GET: read } },
  { pattern: "/api/configs/validate", methods: { POST: { body: "json", limitBytes: CONFIG_BODY_LIMIT } } },
  { pattern: "/api/configs/*name", methods: { GET: read, PUT: { body: "json", limitBytes: CONFIG_BODY_LIMIT } } },
  { pattern: "/api/doctor", methods: { POST: { body: "json", limitBytes: CONFIG_BODY_LIMIT } } },
  { pattern: "/api/task-sets", methods: { GET: read, POST: { body: "json", limitBytes: TASK_SET_BODY_LIMIT } } },
  { pattern: "/api/task-sets/:id", methods: { GET: read } },
  // Arms may carry inline YAML: up to ten config texts.
  { pattern: "/api/experiments", methods: { GET: read, POST: { body: "json", limitBytes: 10 * CONFIG_BODY_LIMIT } } },
  { pattern: "/api/experiments/:id", methods: { GET: read } },
  { pattern: "/api/experiments/:id/cancel", methods: { POST: { body: "none", limitBytes: EMPTY_BODY_LIMIT } } },
  { pattern: "/api/experiments/:id/rerun-failed", methods: { POST: { body: "none", limitBytes: EMPTY_BODY_LIMIT } } },
  { pattern: "/api/experiments/:id/compare", methods: { GET: read } },
];

/** The largest body any route accepts: Next's proxy must pass at least this much through untruncated. */
export const LARGEST_BODY_LIMIT = Math.max(
  ...ROUTE_POLICIES.flatMap((route) => Object.values(route.methods).map((method) => method?.limitBytes ?? 0)),
);

export const MEDIA_TYPES: Record<BodyKind, readonly string[]> = {
  none: ["application/json"],
  json: ["application/json"],
  ndjson: ["application/x-ndjson", "application/jsonl", "application/json"],
};

/** The entry whose pattern matches the path; static segments win over parameters. */
export function findRoutePolicy(pathname: string): RoutePolicy | undefined {
  const segments = splitPath(pathname);
  let best: { route: RoutePolicy; score: number } | undefined;
  for (const route of ROUTE_POLICIES) {
    const score = matchScore(splitPath(route.pattern), segments);
    if (score !== null && (best === undefined || score > best.score)) best = { route, score };
  }
  return best?.route;
}

export function methodPolicy(pathname: string, method: string): MethodPolicy | undefined {
  const route = findRoutePolicy(pathname);
  const key = (method === "HEAD" ? "GET" : method) as keyof RoutePolicy["methods"];
  return route?.methods[key];
}

export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

function splitPath(pathname: string): string[] {
  return pathname.split("/").filter((segment) => segment !== "");
}

/** Null when the pattern does not match; otherwise higher for more static segments. */
function matchScore(pattern: string[], segments: string[]): number | null {
  let score = 0;
  for (let index = 0; index < pattern.length; index += 1) {
    const part = pattern[index]!;
    if (part.startsWith("*")) return segments.length > index ? score : null;
    const segment = segments[index];
    if (segment === undefined) return null;
    if (part.startsWith(":")) continue;
    if (part !== segment) return null;
    score += 1;
  }
  return segments.length === pattern.length ? score : null;
}
