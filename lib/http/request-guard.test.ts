import { describe, expect, it } from "vitest";
import { securityEnv } from "@/lib/server/security-env";
import { guardRequest, guardSettings, type GuardOutcome } from "./request-guard";
import { findRoutePolicy, LARGEST_BODY_LIMIT } from "./route-policy";

const loopback = guardSettings(securityEnv({}), () => []);

function guard(method: string, pathname: string, headers: Record<string, string>, settings = loopback): GuardOutcome {
  return guardRequest({ method, pathname, headers: new Headers({ host: "127.0.0.1:3000", ...headers }) }, settings);
}
const status = (outcome: GuardOutcome) => (outcome.ok ? 200 : outcome.error.status);
const message = (outcome: GuardOutcome) => (outcome.ok ? "" : outcome.error.message);

describe("the request guard", () => {
  it("lets the dashboard's own requests and scripts through", () => {
    expect(status(guard("POST", "/api/runs", { "content-type": "application/json", origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" }))).toBe(200);
    expect(status(guard("POST", "/api/runs", { "content-type": "application/json; charset=utf-8" }))).toBe(200);
    expect(status(guard("POST", "/api/sessions/4/cancel", {}))).toBe(200);
    expect(status(guard("GET", "/api/sessions/4/events", { "sec-fetch-site": "same-origin" }))).toBe(200);
    expect(status(guard("GET", "/sessions", { host: "localhost:3000", "sec-fetch-site": "cross-site" }))).toBe(200);
    expect(status(guard("PUT", "/api/configs/team/a", { "content-type": "application/json", host: "[::1]:3000" }))).toBe(200);
  });

  it("refuses a Host the server is not reached at (DNS rebinding), on every route", () => {
    for (const [method, pathname] of [["GET", "/"], ["GET", "/api/sessions/1/events"], ["GET", "/api/export"], ["POST", "/api/runs"]] as const) {
      const outcome = guard(method, pathname, { host: "attacker.example:3000", "content-type": "application/json" });
      expect(status(outcome)).toBe(403);
      expect(message(outcome)).toContain('Host "attacker.example:3000" is not an address of this server');
    }
    expect(status(guard("GET", "/", { host: "" }))).toBe(403);
    expect(status(guard("GET", "/", { host: "127.0.0.1:3000/x" }))).toBe(403);
    expect(status(guard("GET", "/", { host: "u@127.0.0.1" }))).toBe(403);
  });

  it("refuses cross-site requests to the API and every mutating request from another origin", () => {
    const crossOrigin = guard("POST", "/api/runs", { "content-type": "application/json", origin: "https://evil.example" });
    expect(status(crossOrigin)).toBe(403);
    expect(message(crossOrigin)).toContain("cross-origin request refused (Origin: https://evil.example)");
    expect(status(guard("POST", "/api/runs", { "content-type": "application/json", origin: "http://127.0.0.1:8080" }))).toBe(403);
    expect(status(guard("POST", "/api/runs", { "content-type": "application/json", origin: "null" }))).toBe(403);
    expect(status(guard("POST", "/api/runs", { "content-type": "application/json", "sec-fetch-site": "same-site" }))).toBe(403);
    expect(status(guard("GET", "/api/sessions/1/events", { "sec-fetch-site": "cross-site" }))).toBe(403);
    expect(status(guard("GET", "/api/export", { origin: "https://evil.example" }))).toBe(403);
  });

  it("accepts only JSON (ndjson for the import) on mutating routes: no body a page can send without a preflight", () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const outcome = guard("POST", "/api/runs", type ? { "content-type": type } : {});
      expect(status(outcome), type).toBe(415);
      expect(message(outcome)).toContain("send application/json");
    }
    expect(status(guard("POST", "/api/import", { "content-type": "application/x-ndjson" }))).toBe(200);
    expect(status(guard("POST", "/api/import", { "content-type": "text/plain" }))).toBe(415);
    expect(status(guard("POST", "/api/sessions/1/cancel", { "content-type": "text/plain" }))).toBe(415);
  });

  it("answers 413 with the limit when the declared body is too large", () => {
    const outcome = guard("PUT", "/api/configs/a", { "content-type": "application/json", "content-length": String(3 * 1024 * 1024) });
    expect(status(outcome)).toBe(413);
    expect(message(outcome)).toContain(`larger than ${2 * 1024 * 1024} bytes`);
    expect(status(guard("POST", "/api/sessions/1/cancel", { "content-length": "5000" }))).toBe(413);
    expect(status(guard("POST", "/api/runs", { "content-type": "application/json", "content-length": "oops" }))).toBe(413);
  });

  it("denies what the policy does not list: unknown API routes and methods, non-GET pages, preflights", () => {
    expect(status(guard("POST", "/api/not-a-route", { "content-type": "application/json" }))).toBe(405);
    expect(status(guard("GET", "/api/not-a-route", {}))).toBe(405);
    expect(status(guard("DELETE", "/api/configs/a", {}))).toBe(405);
    expect(status(guard("OPTIONS", "/api/runs", { origin: "https://evil.example" }))).toBe(405);
    expect(status(guard("POST", "/sessions", { "content-type": "application/json" }))).toBe(405);
  });

  it("behind a reverse proxy, accepts the public origin given in ATLAS_PUBLIC_ORIGIN", () => {
    const proxied = guardSettings(securityEnv({ ATLAS_PUBLIC_ORIGIN: "https://atlas.example.com" }), () => []);
    const headers = { host: "atlas.example.com", origin: "https://atlas.example.com", "content-type": "application/json" };
    expect(status(guard("POST", "/api/runs", headers, proxied))).toBe(200);
    expect(status(guard("POST", "/api/runs", { ...headers, host: "127.0.0.1:3000" }, proxied))).toBe(200);
    expect(status(guard("POST", "/api/runs", { ...headers, origin: "https://other.example.com" }, proxied))).toBe(403);
  });

  it("bound to every interface, accepts this machine's addresses and no other name", () => {
    const wildcard = guardSettings(securityEnv({ HOST: "0.0.0.0" }), () => ["10.1.2.3", "fe80::1", "box"]);
    expect(status(guard("GET", "/", { host: "10.1.2.3:3000" }, wildcard))).toBe(200);
    expect(status(guard("GET", "/", { host: "[fe80::1]:3000" }, wildcard))).toBe(200);
    expect(status(guard("GET", "/", { host: "box:3000" }, wildcard))).toBe(200);
    expect(status(guard("GET", "/", { host: "rebound.example:3000" }, wildcard))).toBe(403);
  });

  it("matches static segments before parameters", () => {
    expect(findRoutePolicy("/api/configs/validate")?.pattern).toBe("/api/configs/validate");
    expect(findRoutePolicy("/api/configs/a/b")?.pattern).toBe("/api/configs/*name");
    expect(findRoutePolicy("/api/sessions/1/steps/2")?.pattern).toBe("/api/sessions/:id/steps/:stepId");
    expect(findRoutePolicy("/api/sessions/1/steps")).toBeUndefined();
  });

  it("Next's proxy passes the largest accepted body through untruncated", async () => {
    const configFile = "../../next.config.js";
    const { default: nextConfig } = (await import(/* @vite-ignore */ configFile)) as { default: { experimental: { proxyClientMaxBodySize: number } } };
    expect(nextConfig.experimental.proxyClientMaxBodySize).toBe(LARGEST_BODY_LIMIT + 1);
  });
});
