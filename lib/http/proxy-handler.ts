/**
 * What proxy.ts runs for every request (pages, API routes, SSE, downloads): the request guard first,
 * then the access token, then the response headers every answer carries.
 */
import { hostname, networkInterfaces } from "node:os";
import { NextResponse, type NextRequest } from "next/server";
import { AtlasError } from "@/lib/errors";
import { decideAccess, loginUrl, TOKEN_COOKIE, tokenCookieOptions } from "@/lib/server/access-token";
import { securityEnv } from "@/lib/server/security-env";
import { guardRequest, guardSettings } from "./request-guard";
import { isApiPath } from "./route-policy";

/** No framing (clickjacking), no Referer to other sites, no content sniffing. */
const SECURITY_HEADERS: Record<string, string> = {
  "x-frame-options": "DENY",
  "content-security-policy": "frame-ancestors 'none'",
  "referrer-policy": "same-origin",
  "x-content-type-options": "nosniff",
};

export function handleProxyRequest(request: NextRequest): NextResponse {
  const env = securityEnv();
  const pathname = request.nextUrl.pathname;
  const guard = guardRequest({ method: request.method, pathname, headers: request.headers }, guardSettings(env, localAddresses));
  if (!guard.ok) return errorJson(guard.error);

  const decision = decideAccess(
    { url: request.url, authorization: request.headers.get("authorization"), cookieToken: request.cookies.get(TOKEN_COOKIE)?.value },
    env.token,
  );
  if (decision.kind === "remember") {
    const response = redirect(decision.cleanUrl, request);
    response.cookies.set(TOKEN_COOKIE, env.token ?? "", tokenCookieOptions(isHttps(request)));
    return response;
  }
  if (decision.kind === "deny") {
    if (!isApiPath(pathname) && (request.method === "GET" || request.method === "HEAD")) {
      return redirect(loginUrl(request.url), request);
    }
    return errorJson(
      new AtlasError(
        "unauthorized",
        "this Atlas dashboard requires ATLAS_TOKEN: send Authorization: Bearer <token>, or sign in at /login",
      ),
    );
  }
  return withSecurityHeaders(NextResponse.next());
}

export function isHttps(request: NextRequest): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https" || request.nextUrl.protocol === "https:";
}

/**
 * To the host the client asked for (the guard has checked it): NextRequest reports 127.0.0.1 as
 * `localhost`, and a redirect to another host name would lose the cookie just set. Next requires an
 * absolute Location here.
 */
function redirect(target: string, request: NextRequest): NextResponse {
  const url = new URL(target);
  const host = request.headers.get("host") ?? url.host;
  return withSecurityHeaders(NextResponse.redirect(new URL(`${url.pathname}${url.search}`, `${request.nextUrl.protocol}//${host}`), 303));
}

function errorJson(error: AtlasError): NextResponse {
  return withSecurityHeaders(NextResponse.json(error.toBody(), { status: error.status, headers: { "cache-control": "no-store" } }));
}

function withSecurityHeaders(response: NextResponse): NextResponse {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

/** Every address of this machine and its host name: what a client may put in `Host` when bound to 0.0.0.0. */
function localAddresses(): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
  return [...addresses, hostname()];
}
