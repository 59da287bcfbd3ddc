/**
 * Refuses requests the user did not make, before any route runs (called by proxy.ts for every request):
 * - a `Host` the server is not reached at (DNS rebinding: a hostile name resolving to 127.0.0.1);
 * - a cross-site request (`Origin` or `Sec-Fetch-Site` from another site) to the API, and to any method but GET;
 * - a body of a type a page could send without a CORS preflight (`text/plain`, forms), or too large;
 * - a method or API route the policy table does not list (deny by default).
 */
import { AtlasError, type ErrorCode } from "@/lib/errors";
import type { SecurityEnv } from "@/lib/server/security-env";
import { isApiPath, MEDIA_TYPES, methodPolicy, type MethodPolicy } from "./route-policy";

export interface GuardedRequest {
  method: string;
  pathname: string;
  headers: Headers;
}

export interface GuardSettings {
  /** Host names (no port) this server answers to. */
  allowedHostnames: ReadonlySet<string>;
  /** `host:port` values of extra origins (reverse proxy) accepted in `Origin`. */
  publicOriginHosts: ReadonlySet<string>;
}

export type GuardOutcome = { ok: true; policy: MethodPolicy | undefined } | { ok: false; error: AtlasError };

const READ_METHODS = new Set(["GET", "HEAD"]);
const LOOPBACK_HOSTNAMES = ["127.0.0.1", "localhost", "::1"];
const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]"]);

/** From the environment; `localAddresses` are this machine's names, used when bound to every interface. */
export function guardSettings(env: SecurityEnv, localAddresses: () => string[]): GuardSettings {
  const hostnames = new Set(LOOPBACK_HOSTNAMES);
  if (WILDCARD_HOSTS.has(env.host)) for (const address of localAddresses()) hostnames.add(normalizeHostname(address));
  else hostnames.add(normalizeHostname(env.host));
  const publicOriginHosts = new Set<string>();
  for (const origin of env.publicOrigins) {
    const parsed = parseUrl(origin);
    if (!parsed) continue;
    hostnames.add(normalizeHostname(parsed.hostname));
    publicOriginHosts.add(parsed.host.toLowerCase());
  }
  return { allowedHostnames: hostnames, publicOriginHosts };
}

export function guardRequest(request: GuardedRequest, settings: GuardSettings): GuardOutcome {
  const method = request.method.toUpperCase();
  const hostHeader = request.headers.get("host")?.trim().toLowerCase() ?? "";
  const hostname = hostnameOf(hostHeader);
  if (hostname === null || !settings.allowedHostnames.has(hostname)) {
    return refuse(
      "forbidden",
      `Host ${JSON.stringify(hostHeader)} is not an address of this server; behind a reverse proxy, add its origin to ATLAS_PUBLIC_ORIGIN`,
    );
  }

  const api = isApiPath(request.pathname);
  const policy = api ? methodPolicy(request.pathname, method) : undefined;
  if (api && !policy) return refuse("method_not_allowed", `${method} ${request.pathname} is not a route of this API`);
  if (!api && !READ_METHODS.has(method)) return refuse("method_not_allowed", `${method} is not allowed on pages`);

  if (api || !READ_METHODS.has(method)) {
    const crossSite = crossSiteProblem(request.headers, hostHeader, settings);
    if (crossSite) return refuse("forbidden", crossSite);
  }
  if (policy && !READ_METHODS.has(method)) {
    const bodyProblem = bodyRefusal(request.headers, policy);
    if (bodyProblem) return { ok: false, error: bodyProblem };
  }
  if (policy && READ_METHODS.has(method) && declaredLength(request.headers) > policy.limitBytes) {
    return refuse("payload_too_large", `request body is larger than ${policy.limitBytes} bytes`);
  }
  return { ok: true, policy };
}

/** Browsers mark every request with where it came from; scripts (curl, the CLI) send neither header. */
function crossSiteProblem(headers: Headers, hostHeader: string, settings: GuardSettings): string | null {
  const fetchSite = headers.get("sec-fetch-site")?.toLowerCase();
  if (fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none") {
    return `cross-site request refused (Sec-Fetch-Site: ${fetchSite}): the dashboard accepts requests from its own pages only`;
  }
  const origin = headers.get("origin");
  if (origin === null) return null;
  const originHost = parseUrl(origin)?.host.toLowerCase();
  if (originHost !== undefined && (originHost === hostHeader || settings.publicOriginHosts.has(originHost))) return null;
  return `cross-origin request refused (Origin: ${origin}): the dashboard accepts requests from its own pages only; behind a reverse proxy, set ATLAS_PUBLIC_ORIGIN`;
}

function bodyRefusal(headers: Headers, policy: MethodPolicy): AtlasError | null {
  const mediaType = (headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const accepted = MEDIA_TYPES[policy.body];
  const bodyless = policy.body === "none" && mediaType === "";
  if (!bodyless && !accepted.includes(mediaType)) {
    return new AtlasError(
      "unsupported_media_type",
      `content-type ${mediaType ? JSON.stringify(mediaType) : "(none)"} is not accepted here: send ${accepted.join(" or ")}`,
    );
  }
  if (declaredLength(headers) > policy.limitBytes) {
    return new AtlasError("payload_too_large", `request body is larger than ${policy.limitBytes} bytes, the limit of this route`);
  }
  return null;
}

function declaredLength(headers: Headers): number {
  const value = headers.get("content-length");
  if (value === null) return 0;
  const length = Number(value);
  return Number.isFinite(length) ? length : Number.POSITIVE_INFINITY;
}

function refuse(code: ErrorCode, message: string): GuardOutcome {
  return { ok: false, error: new AtlasError(code, message) };
}

/** `example.com:3000` → `example.com`; `[::1]:3000` → `::1`; null for an empty or malformed value. */
function hostnameOf(hostHeader: string): string | null {
  if (hostHeader === "") return null;
  const parsed = parseUrl(`http://${hostHeader}`);
  if (!parsed || parsed.username !== "" || parsed.password !== "" || parsed.pathname !== "/" || parsed.search !== "" || parsed.hash !== "") {
    return null;
  }
  return normalizeHostname(parsed.hostname);
}

function normalizeHostname(hostname: string): string {
  const lower = hostname.toLowerCase();
  return lower.startsWith("[") && lower.endsWith("]") ? lower.slice(1, -1) : lower;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
