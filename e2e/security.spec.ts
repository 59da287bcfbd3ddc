/**
 * The request guards and the access token on the real Next server (proxy.ts in front of every route).
 * The token half starts a second server from the same build with ATLAS_TOKEN set.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env.E2E_PORT ?? 3100);
const tokenPort = port + 2;
const TOKEN = "e2e-access-token-5b1f0c9a";

/** node:http, so the Host header can be anything (fetch would set it from the URL). */
function rawRequest(options: { port: number; path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const outgoing = httpRequest({ host: "127.0.0.1", port: options.port, path: options.path, method: options.method ?? "GET", headers: options.headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on("error", reject);
    outgoing.end(options.body);
  });
}

async function sessionCount(): Promise<number> {
  const response = await rawRequest({ port, path: "/api/sessions?limit=200" });
  return (JSON.parse(response.body) as { sessions: unknown[] }).sessions.length;
}

test("requests the user did not make are refused by the real server and start nothing", async () => {
  const before = await sessionCount();
  const run = JSON.stringify({ task: "Injected", config: { name: "examples/demo_offline" } });
  const own = `127.0.0.1:${port}`;
  const attempts: { headers: Record<string, string>; status: number }[] = [
    { headers: { host: own, "content-type": "text/plain", origin: "https://evil.example" }, status: 403 },
    { headers: { host: own, "content-type": "text/plain" }, status: 415 },
    { headers: { host: own, "content-type": "application/x-www-form-urlencoded" }, status: 415 },
    { headers: { host: own, "content-type": "application/json", origin: "https://evil.example", "sec-fetch-site": "cross-site" }, status: 403 },
    { headers: { host: `rebind.evil.example:${port}`, "content-type": "application/json" }, status: 403 },
  ];
  for (const attempt of attempts) {
    const response = await rawRequest({ port, path: "/api/runs", method: "POST", headers: attempt.headers, body: run });
    expect(response.status, JSON.stringify(attempt.headers)).toBe(attempt.status);
  }
  for (const pathname of ["/", "/api/sessions", "/api/export", "/api/sessions/1/events"]) {
    expect((await rawRequest({ port, path: pathname, headers: { host: "rebind.evil.example" } })).status, pathname).toBe(403);
  }
  const oversized = await rawRequest({ port, path: "/api/configs/validate", method: "POST", headers: { host: own, "content-type": "application/json" }, body: JSON.stringify({ yaml: "x".repeat(3 * 1024 * 1024) }) });
  expect(oversized.status).toBe(413);
  expect(await sessionCount()).toBe(before);
  // Pages say they must not be framed.
  expect((await rawRequest({ port, path: "/", headers: { host: own } })).headers["x-frame-options"]).toBe("DENY");
});

test.describe("with ATLAS_TOKEN", () => {
  let server: ChildProcess | null = null;
  let dataDir = "";

  test.beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "atlas-e2e-token-"));
    server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(tokenPort)], {
      cwd: root,
      env: { ...process.env, ATLAS_TOKEN: TOKEN, ATLAS_DATA_DIR: dataDir, DATABASE_URL: "", PORT: String(tokenPort), NEXT_TELEMETRY_DISABLED: "1" },
      stdio: "ignore",
    });
    await expect
      .poll(async () => (await rawRequest({ port: tokenPort, path: "/api/health" }).catch(() => ({ status: 0 }))).status, { timeout: 60_000 })
      .toBe(200);
  });
  test.afterAll(async () => {
    if (server) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("pages send you to the login, which sets an httpOnly SameSite=Strict cookie and returns you", async ({ page, context }) => {
    const base = `http://127.0.0.1:${tokenPort}`;
    await page.goto(`${base}/sessions`);
    await expect(page).toHaveURL(`${base}/login?next=%2Fsessions`);
    await page.getByLabel("Access token").fill("wrong-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "that is not this dashboard's ATLAS_TOKEN" })).toBeVisible();
    await page.getByLabel("Access token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
    const [cookie] = (await context.cookies(base)).filter((entry) => entry.name === "atlas_token");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  });

  test("API routes, streams and downloads need the token; ?token= is exchanged for the cookie and leaves the URL", async ({ page }) => {
    const host = { host: `127.0.0.1:${tokenPort}` };
    for (const pathname of ["/api/sessions", "/api/export", "/api/sessions/1/events", "/api/configs"]) {
      expect((await rawRequest({ port: tokenPort, path: pathname, headers: host })).status, pathname).toBe(401);
      expect((await rawRequest({ port: tokenPort, path: pathname, headers: { ...host, authorization: "Bearer nope" } })).status).toBe(401);
    }
    expect((await rawRequest({ port: tokenPort, path: "/api/sessions", headers: { ...host, authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const exchanged = await rawRequest({ port: tokenPort, path: `/configs?token=${TOKEN}`, headers: host });
    expect(exchanged.status).toBe(303);
    // Next sends a same-origin Location relative.
    expect(new URL(String(exchanged.headers.location), `http://127.0.0.1:${tokenPort}`).href).toBe(`http://127.0.0.1:${tokenPort}/configs`);
    expect(String(exchanged.headers["set-cookie"])).toMatch(/atlas_token=.*HttpOnly.*SameSite=strict/i);
    await page.goto(`http://127.0.0.1:${tokenPort}/export?token=${TOKEN}`);
    await expect(page).toHaveURL(`http://127.0.0.1:${tokenPort}/export`);
    await expect(page.getByRole("heading", { level: 1, name: "Export" })).toBeVisible();
  });
});
