/**
 * ATLAS_TOKEN through proxy.ts's handler and the login route: every page, API route, SSE stream and
 * download needs it; only the health check and the login stay open.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase } from "@/lib/db/client";
import { NextRequest } from "next/server";
import { handleProxyRequest } from "@/lib/http/proxy-handler";
import { createAppHarness, type AppHarness } from "@/lib/http/testing/app-harness";
import { loginUrl, safeNextPath, sameToken } from "@/lib/server/access-token";

const TOKEN = "unit-access-token-9c2e71";
process.env.ATLAS_DATA_DIR = "memory://";
process.env.ATLAS_NO_SIGNAL_HANDLERS = "1";
process.env.ATLAS_TOKEN = TOKEN;
delete process.env.DATABASE_URL;
delete process.env.ATLAS_DB_DRIVER;
delete process.env.HOST;

const ORIGIN = "http://127.0.0.1:3000";
const HOST = { host: "127.0.0.1:3000" };
let app: AppHarness;

beforeAll(async () => {
  app = await createAppHarness();
});
afterAll(async () => {
  delete process.env.ATLAS_TOKEN;
  await closeDatabase();
});

const get = (path: string, headers: Record<string, string> = {}) => app.fetch(new Request(`${ORIGIN}${path}`, { headers: { ...HOST, ...headers }, redirect: "manual" }));

describe("the access token", () => {
  it("refuses API routes, streams and downloads without it (401) and sends pages to the login", async () => {
    for (const path of ["/api/sessions", "/api/sessions/1/events", "/api/export", "/api/sessions/1/export", "/api/overview"]) {
      const response = await get(path);
      expect(response.status, path).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
      expect((await get(path, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
      expect((await get(path, { cookie: "atlas_token=guess" })).status).toBe(401);
    }
    const page = await get("/sessions?status=failed");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe(`${ORIGIN}/login?next=%2Fsessions%3Fstatus%3Dfailed`);
    const loginPage = handleProxyRequest(new NextRequest(`${ORIGIN}/login?next=%2F`, { headers: HOST }));
    expect(loginPage.headers.get("x-middleware-next")).toBe("1");
    expect((await get("/api/health")).status).toBe(200);
    const refused = await app.fetch(new Request(`${ORIGIN}/api/runs`, { method: "POST", headers: { ...HOST, "content-type": "application/json" }, body: "{}" }));
    expect(refused.status).toBe(401);
  });

  it("accepts it as a Bearer header, or as the cookie the login sets (httpOnly, SameSite=Strict)", async () => {
    expect((await get("/api/sessions", { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    const login = (token: string) =>
      app.fetch(new Request(`${ORIGIN}/api/login`, { method: "POST", headers: { ...HOST, "content-type": "application/json", origin: ORIGIN }, body: JSON.stringify({ token }) }));
    const wrong = await login("not-it");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const right = await login(TOKEN);
    expect(right.status).toBe(200);
    const cookie = right.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^atlas_token=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect((await get("/api/sessions", { cookie: cookie.split(";")[0]! })).status).toBe(200);
    // Over HTTPS (a TLS-terminating proxy says so) the cookie is Secure.
    const secure = await app.fetch(new Request(`${ORIGIN}/api/login`, { method: "POST", headers: { ...HOST, "content-type": "application/json", "x-forwarded-proto": "https" }, body: JSON.stringify({ token: TOKEN }) }));
    expect(secure.headers.get("set-cookie")).toContain("; Secure");
  });

  it("exchanges ?token= for the cookie and redirects to the URL without it", async () => {
    const response = await get(`/configs?name=a&token=${TOKEN}`);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${ORIGIN}/configs?name=a`);
    expect(response.headers.get("set-cookie")).toMatch(/atlas_token=.+HttpOnly.+SameSite=strict/i);
    expect((await get("/configs?token=wrong")).status).toBe(303);
    expect((await get("/configs?token=wrong")).headers.get("location")).toContain("/login");
  });

  it("compares tokens whole, and the login only returns to paths on this server", () => {
    expect(sameToken(TOKEN, TOKEN)).toBe(true);
    for (const other of ["", TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase()]) expect(sameToken(other, TOKEN)).toBe(false);
    expect(safeNextPath("/sessions?x=1")).toBe("/sessions?x=1");
    for (const hostile of ["//evil.example", "https://evil.example", "/\\evil.example", "", null]) expect(safeNextPath(hostile)).toBe("/");
    expect(loginUrl("http://h/")).toBe("http://h/login");
  });
});
