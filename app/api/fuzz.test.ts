/**
 * Generated malformed requests across every route of the in-process server (proxy handler, then the
 * route file): none answers 5xx, no row changes, and the server still answers afterwards. Hostile YAML
 * (billion laughs, 10 MB, deep nesting) answers 400 on every route that takes a config.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { seedSession } from "@/lib/export/testing/fixture";
import { createAppHarness, type AppHarness } from "@/lib/http/testing/app-harness";
import { databaseFingerprint } from "@/lib/http/testing/db-fingerprint";
import { ROUTE_POLICIES } from "@/lib/http/route-policy";
import { billionLaughs, deepBlockNesting, deeplyNested, tenMegabytes } from "@/lib/testing/hostile-yaml";
import { stressCount, STRESS_TIMEOUT_MS } from "@/lib/testing/stress";
import { seededRandom } from "@/lib/seeded-random";

process.env.ATLAS_DATA_DIR = "memory://";
process.env.ATLAS_NO_SIGNAL_HANDLERS = "1";
delete process.env.DATABASE_URL;
delete process.env.ATLAS_DB_DRIVER;
delete process.env.ATLAS_TOKEN;
delete process.env.HOST;

const REQUESTS = stressCount(400, 2_000);
const ORIGIN = "http://127.0.0.1:3000";
let app: AppHarness;
let sessionId = 0;

beforeAll(async () => {
  app = await createAppHarness();
  const { db } = await getDatabase();
  ({ sessionId } = await seedSession(db, { task: "Fuzzed session", createdAt: new Date("2025-10-01T00:00:00Z") }));
});
afterAll(async () => {
  const { getRunManager } = await import("@/lib/runs/process");
  await getRunManager().shutdown();
  await closeDatabase();
});

const HOSTILE_YAML = [billionLaughs(), deeplyNested(5_000), deepBlockNesting(), "agent: [unclosed", "? ? ?", "a: *nowhere", "{{{{", "- - - -", ":\t:", "agent:\n  type: module\n  module: /etc/passwd\n"];
const PARAM_VALUES = ["0", "-1", "1.5", "1e3", "99999999999999999999", "NaN", " 1", "0x10", "..", "%2e%2e%2f%2e%2e", "..%2fetc", "a".repeat(3000), "%00", "%E2%80%AE", "%ZZ", "inline", "examples/../..", "schema"];
const QUERY_KEYS = ["limit", "after", "cursor", "status", "config", "from", "to", "minReward", "maxReward", "q", "format", "trajectory_event_limit", "session_id", "evaluations", "type", "version", "token", "offset"];
const QUERY_VALUES = ["-5", "0", "1000000000000", "abc", "", "2025-13-45", "NaN", "Infinity", "%FF", "[]", "{}", "null", "1;drop table sessions", "x".repeat(2000), "succeeded", "9007199254740993"];
const CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "application/x-ndjson", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=z", "", "application/xml", "APPLICATION/JSON"];

function bodies(pick: <T>(items: readonly T[]) => T): string[] {
  const yaml = pick(HOSTILE_YAML);
  return [
    "",
    "{",
    "null",
    "[]",
    '"string"',
    "{}".repeat(3),
    JSON.stringify({ task: "", config: { name: "" } }),
    JSON.stringify({ task: "t", config: { yaml } }),
    JSON.stringify({ task: "t", config: { name: pick(PARAM_VALUES) } }),
    JSON.stringify({ task: 42, config: [] }),
    JSON.stringify({ task: "t".repeat(30_000), config: { yaml: "x" } }),
    JSON.stringify({ yaml }),
    JSON.stringify({ yaml: 5, expectedVersion: -1 }),
    JSON.stringify({ yaml: "agent: {}", expectedVersion: "1" }),
    JSON.stringify({ token: ["a"] }),
    `${"[".repeat(50_000)}${"]".repeat(50_000)}`,
    '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}',
    "{}\n{}\nnot json\n",
    '{"session_metadata": {"session_id": "x"}}\n',
    Buffer.from([0xff, 0xfe, 0x00, 0x01, 0xc3]).toString("latin1"),
    "\u0000\u0001\u0002",
  ];
}

function pathOf(pattern: string, pick: <T>(items: readonly T[]) => T, chance: () => number): string {
  return pattern
    .replace(":id", chance() < 0.3 ? String(sessionId) : pick(PARAM_VALUES))
    .replace(":stepId", pick(PARAM_VALUES))
    .replace(":callId", pick(PARAM_VALUES))
    .replace("*name", chance() < 0.5 ? pick(PARAM_VALUES) : `${pick(PARAM_VALUES)}/${pick(PARAM_VALUES)}`);
}

function generateRequest(seed: number): { description: string; request: Request } {
  const chance = seededRandom(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(chance() * items.length)]!;
  const unknownPaths = ["/api", "/api/", "/api/sessions/1/nope", "/api/runs/1", "/api/%2e%2e/health", "/sessions/../api/runs"];
  const route = pick(ROUTE_POLICIES);
  const path = chance() < 0.1 ? pick(unknownPaths) : pathOf(route.pattern, pick, chance);
  const ownMethods = Object.keys(route.methods);
  const method = chance() < 0.75 ? pick(ownMethods) : pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]);
  const query = Array.from({ length: Math.floor(chance() * 4) }, () => `${pick(QUERY_KEYS)}=${pick(QUERY_VALUES)}`).join("&");
  const headers: Record<string, string> = { host: chance() < 0.05 ? "evil.example" : "127.0.0.1:3000" };
  const contentType = pick(CONTENT_TYPES);
  if (contentType) headers["content-type"] = contentType;
  if (chance() < 0.1) headers.origin = pick(["https://evil.example", "null", ORIGIN]);
  if (chance() < 0.05) headers["last-event-id"] = pick(QUERY_VALUES);
  if (chance() < 0.05) headers.authorization = pick(["Bearer ", "Bearer x", "Basic Zm9v", "x".repeat(5000)]);
  const carriesBody = method !== "GET" && method !== "HEAD";
  const body = carriesBody ? pick(bodies(pick)) : undefined;
  const url = `${ORIGIN}${path}${query ? `?${query}` : ""}`;
  let request: Request;
  try {
    request = new Request(url, { method, headers, body });
  } catch {
    request = new Request(`${ORIGIN}/api/sessions?limit=${encodeURIComponent(path)}`, { headers });
  }
  return { description: `#${seed} ${method} ${url.slice(0, 200)} [${contentType}] body=${JSON.stringify(body?.slice(0, 80) ?? null)}`, request };
}

/** Reads the whole answer (a stream that never ends would hang here; the SSE route closes after the terminal event). */
async function settle(response: Response): Promise<number> {
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) await response.body?.cancel();
  else await response.arrayBuffer();
  return response.status;
}

describe("fuzzing every route", () => {
  it(`${REQUESTS} generated malformed requests: zero 5xx, no row changes, the server still answers`, async () => {
    const { db } = await getDatabase();
    const before = await databaseFingerprint(db);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let seed = 1; seed <= REQUESTS; seed += 1) {
      const { description, request } = generateRequest(seed);
      let status: number;
      try {
        status = await settle(await app.fetch(request));
      } catch (error) {
        failures.push(`${description} threw ${String(error)}`);
        continue;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) failures.push(`${description} → ${status}`);
    }
    console.info(`fuzz: ${REQUESTS} requests by status`, Object.fromEntries(statuses));
    expect(failures).toEqual([]);
    // Most requests must reach the routes (not all stop at the guard), or this would test the guard alone.
    expect((statuses.get(400) ?? 0) + (statuses.get(404) ?? 0) + (statuses.get(200) ?? 0)).toBeGreaterThan(REQUESTS / 4);
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
    expect(await databaseFingerprint(db)).toEqual(before);
    const health = await app.fetch(new Request(`${ORIGIN}/api/health`, { headers: { host: "127.0.0.1:3000" } }));
    expect(health.status).toBe(200);
    const list = await app.fetch(new Request(`${ORIGIN}/api/sessions`, { headers: { host: "127.0.0.1:3000" } }));
    expect(((await list.json()) as { sessions: unknown[] }).sessions).toHaveLength(1);
  }, STRESS_TIMEOUT_MS);

  it("hostile YAML answers 400 on every route that takes a config, and stores nothing", async () => {
    const { db } = await getDatabase();
    const before = await databaseFingerprint(db);
    const headers = { host: "127.0.0.1:3000", "content-type": "application/json" };
    for (const yaml of [billionLaughs(), tenMegabytes().slice(0, 1_500_000), deeplyNested(), deepBlockNesting()]) {
      const sends = [
        new Request(`${ORIGIN}/api/configs/validate`, { method: "POST", headers, body: JSON.stringify({ yaml }) }),
        new Request(`${ORIGIN}/api/configs/hostile`, { method: "PUT", headers, body: JSON.stringify({ yaml }) }),
        new Request(`${ORIGIN}/api/runs`, { method: "POST", headers, body: JSON.stringify({ task: "t", config: { yaml } }) }),
      ];
      for (const request of sends) {
        const response = await app.fetch(request);
        // validate answers 200 {ok: false} for an invalid config (a dry run), the others 400.
        const body = (await response.json()) as { ok?: boolean };
        if (request.url.endsWith("/validate") && response.status === 200) expect(body.ok).toBe(false);
        else expect(response.status, `${request.method} ${request.url}`).toBe(400);
      }
    }
    const huge = await app.fetch(new Request(`${ORIGIN}/api/configs/validate`, { method: "POST", headers, body: JSON.stringify({ yaml: tenMegabytes() }) }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { message: string } }).error.message).toContain(`larger than ${2 * 1024 * 1024} bytes`);
    expect(await databaseFingerprint(db)).toEqual(before);
  });
});
