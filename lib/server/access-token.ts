/**
 * With ATLAS_TOKEN set, every request carries it as `Authorization: Bearer <token>` (scripts) or the
 * `atlas_token` cookie (browsers: httpOnly, SameSite=Strict, set by the login page or by opening any page
 * once with `?token=`, which is then redirected away so the token stays out of URLs, logs and Referer).
 */
import { createHash, timingSafeEqual } from "node:crypto";

export const TOKEN_COOKIE = "atlas_token";
export const LOGIN_PATH = "/login";

/** Reachable without the token: monitors poll the health check; the login page and its POST hand it over. */
const OPEN_PATHS = new Set(["/api/health", LOGIN_PATH, "/api/login"]);

export type AccessDecision =
  | { kind: "allow" }
  | { kind: "deny" }
  /** Right token in the query string: set the cookie and redirect to the same URL without it. */
  | { kind: "remember"; cleanUrl: string };

export interface AccessRequest {
  url: string;
  authorization: string | null;
  cookieToken: string | undefined;
}

export function decideAccess(request: AccessRequest, expected: string | undefined): AccessDecision {
  if (!expected) return { kind: "allow" };
  const url = new URL(request.url);
  if (OPEN_PATHS.has(url.pathname)) return { kind: "allow" };
  const bearer = request.authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (bearer !== undefined && sameToken(bearer, expected)) return { kind: "allow" };
  if (request.cookieToken !== undefined && sameToken(request.cookieToken, expected)) return { kind: "allow" };
  const queryToken = url.searchParams.get("token");
  if (queryToken !== null && sameToken(queryToken, expected)) {
    url.searchParams.delete("token");
    return { kind: "remember", cleanUrl: url.toString() };
  }
  return { kind: "deny" };
}

/** The cookie's attributes: scripts cannot read it and no other site's request carries it. */
export function tokenCookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: "strict", secure, path: "/" } as const;
}

/**
 * Equal-length digests compared with timingSafeEqual: the time taken says nothing about where the
 * first difference is, nor about the expected token's length.
 */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/** Where a refused page visit goes: the login page, which returns to `next` once the token is accepted. */
export function loginUrl(requestUrl: string): string {
  const url = new URL(requestUrl);
  const back = `${url.pathname}${url.search}`;
  const login = new URL(LOGIN_PATH, url);
  if (back !== "/") login.searchParams.set("next", back);
  return login.toString();
}

/** Only a path on this server (never `//other.site` or a full URL), so the login cannot redirect elsewhere. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}
