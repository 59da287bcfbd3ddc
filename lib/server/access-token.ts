/**
 * When the dashboard listens beyond loopback it needs ATLAS_TOKEN: every request then carries it as
 * `Authorization: Bearer <token>` or the `atlas_token` cookie (set by opening any page with `?token=`).
 */
export const TOKEN_COOKIE = "atlas_token";

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
  if (url.pathname === "/api/health") return { kind: "allow" };
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

/** Compares in time independent of where the first difference is. */
function sameToken(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let index = 0; index < expected.length; index += 1) {
    difference |= (given.charCodeAt(index % Math.max(given.length, 1)) || 0) ^ expected.charCodeAt(index);
  }
  return difference === 0;
}
