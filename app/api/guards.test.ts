/**
 * Requests the user did not make, sent to every route of the in-process server (proxy.ts's handler,
 * then the route file): a cross-origin, a text/plain, a form-encoded and a foreign-Host request are
 * refused, nothing is stored and the scripted LLM is never called. The same requests sent the way the
 * dashboard sends them do store and run, so the checks can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { openMigratedDatabase } from "@/lib/db/open";
import { exportChunks } from "@/lib/export/stream";
import { ExportFiltersSchema } from "@/lib/export/filters";
import { seedSession } from "@/lib/export/testing/fixture";
import { createAppHarness, HTTP_METHODS, type AppHarness } from "@/lib/http/testing/app-harness";
import { databaseFingerprint } from "@/lib/http/testing/db-fingerprint";
import { ROUTE_POLICIES } from "@/lib/http/route-policy";
import { startScriptedLlm, demoRules, type ScriptedLlm } from "@/lib/llm/scripted";
import { scriptedConfigYaml, SCRIPTED_KEY_ENV } from "@/lib/runs/testing/harness";

process.env.ATLAS_DATA_DIR = "memory://";
process.env.ATLAS_NO_SIGNAL_HANDLERS = "1";
process.env[SCRIPTED_KEY_ENV] = "test-key";
delete process.env.DATABASE_URL;
delete process.env.ATLAS_DB_DRIVER;
delete process.env.ATLAS_TOKEN;
delete process.env.ATLAS_PUBLIC_ORIGIN;
delete process.env.HOST;

const ORIGIN = "http://127.0.0.1:3000";
let app: AppHarness;
let llm: ScriptedLlm;
let importBody: string;

beforeAll(async () => {
  app = await createAppHarness();
  llm = await startScriptedLlm({ rules: demoRules() });
  // A session that exists in another database: importing it here would add rows.
  const other = await openMigratedDatabase({ driver: "pglite", dataDir: "memory://" });
  try {
    await seedSession(other.db, { task: "Imported elsewhere", createdAt: new Date("2025-10-01T00:00:00Z") });
    const lines: string[] = [];
    for await (const chunk of exportChunks(other.db, ExportFiltersSchema.parse({}))) lines.push(chunk);
    importBody = lines.join("");
  } finally {
    await other.close();
  }
});
afterAll(async () => {
  const { getRunManager } = await import("@/lib/runs/process");
  await getRunManager().shutdown();
  await closeDatabase();
  await llm?.close();
});

interface Mutation {
  method: string;
  path: string;
  contentType: string;
  body: () => string;
}

/** A well-formed request to each mutating route: sent by the dashboard, each of these stores or runs something. */
function mutations(sessionId: number): Mutation[] {
  const json = "application/json";
  return [
    { method: "POST", path: "/api/runs", contentType: json, body: () => JSON.stringify({ task: "Summarise the report", config: { yaml: scriptedConfigYaml(llm.url) } }) },
    { method: "PUT", path: "/api/configs/attacked", contentType: json, body: () => JSON.stringify({ yaml: scriptedConfigYaml(llm.url) }) },
    { method: "POST", path: "/api/configs/validate", contentType: json, body: () => JSON.stringify({ yaml: scriptedConfigYaml(llm.url) }) },
    { method: "POST", path: "/api/import", contentType: "application/x-ndjson", body: () => importBody },
    { method: "POST", path: `/api/sessions/${sessionId}/cancel`, contentType: json, body: () => "{}" },
    { method: "POST", path: "/api/login", contentType: json, body: () => JSON.stringify({ token: "x" }) },
  ];
}

function send(mutation: Mutation, headers: Record<string, string>): Promise<Response> {
  return app.fetch(
    new Request(`${ORIGIN}${mutation.path}`, {
      method: mutation.method,
      body: mutation.body(),
      headers: { host: "127.0.0.1:3000", "content-type": mutation.contentType, ...headers },
    }),
  );
}

const ATTACKS: { name: string; headers: Record<string, string>; status: number }[] = [
  { name: "cross-origin", headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" }, status: 403 },
  { name: "cross-origin without Sec-Fetch-Site", headers: { origin: "http://localhost:8080" }, status: 403 },
  { name: "text/plain", headers: { "content-type": "text/plain;charset=UTF-8" }, status: 415 },
  { name: "form-encoded", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415 },
  { name: "multipart form", headers: { "content-type": "multipart/form-data; boundary=----x" }, status: 415 },
  { name: "foreign Host (DNS rebinding)", headers: { host: "rebind.evil.example:3000" }, status: 403 },
];

describe("request guards on every route", () => {
  it("every method a route file exports is in the policy table, and every policy entry has its route file", () => {
    const exported: string[] = [];
    for (const route of app.routes) {
      const pattern = `/${route.segments.map((segment) => segment.replace(/^\[\.\.\.(\w+)\]$/, "*$1").replace(/^\[(\w+)\]$/, ":$1")).join("/")}`;
      const policy = ROUTE_POLICIES.find((entry) => entry.pattern === pattern);
      expect(policy, `${route.file} has no entry in lib/http/route-policy.ts`).toBeDefined();
      for (const method of HTTP_METHODS.filter((name) => typeof route.module[name] === "function")) {
        expect(Object.keys(policy?.methods ?? {}), `${method} of ${route.file}`).toContain(method);
        exported.push(`${method} ${pattern}`);
      }
    }
    const listed = ROUTE_POLICIES.flatMap((entry) => Object.keys(entry.methods).map((method) => `${method} ${entry.pattern}`));
    expect(listed.sort()).toEqual(exported.sort());
  });

  it("refuses cross-origin, text/plain, form-encoded and foreign-Host requests to each mutating route: nothing stored, nothing run", async () => {
    const { db } = await getDatabase();
    const { sessionId } = await seedSession(db, { task: "Existing session", createdAt: new Date("2025-10-02T00:00:00Z") });
    const before = await databaseFingerprint(db);
    for (const mutation of mutations(sessionId)) {
      for (const attack of ATTACKS) {
        const response = await send(mutation, attack.headers);
        expect(response.status, `${attack.name} ${mutation.method} ${mutation.path}`).toBe(attack.status);
        expect((await response.json()).error.code).toBe(attack.status === 415 ? "unsupported_media_type" : "forbidden");
      }
    }
    expect(await databaseFingerprint(db)).toEqual(before);
    expect(llm.requests).toHaveLength(0);
  });

  it("refuses a foreign Host and cross-site reads on every read route, SSE and downloads included", async () => {
    const { db } = await getDatabase();
    const { sessionId } = await seedSession(db, { task: "Read me", createdAt: new Date("2025-10-03T00:00:00Z") });
    const reads = ROUTE_POLICIES.filter((entry) => entry.methods.GET).map((entry) =>
      entry.pattern.replace(":id", String(sessionId)).replace(":stepId", "1").replace(":callId", "1").replace("*name", "examples/demo_offline"),
    );
    expect(reads).toContain(`/api/sessions/${sessionId}/events`);
    for (const path of [...reads, "/", "/sessions", `/sessions/${sessionId}`]) {
      const foreign = await app.fetch(new Request(`${ORIGIN}${path}`, { headers: { host: "rebind.evil.example" } }));
      expect(foreign.status, `foreign Host ${path}`).toBe(403);
    }
    for (const path of reads) {
      const crossSite = await app.fetch(new Request(`${ORIGIN}${path}`, { headers: { host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" } }));
      expect(crossSite.status, `cross-site ${path}`).toBe(403);
      const crossOrigin = await app.fetch(new Request(`${ORIGIN}${path}`, { headers: { host: "127.0.0.1:3000", origin: "https://evil.example" } }));
      expect(crossOrigin.status, `cross-origin ${path}`).toBe(403);
    }
    // The same reads from the dashboard's own pages answer.
    const own = await app.fetch(new Request(`${ORIGIN}/api/sessions/${sessionId}/export`, { headers: { host: "127.0.0.1:3000", "sec-fetch-site": "same-origin" } }));
    expect(own.status).toBe(200);
    expect(await own.text()).toContain("Read me");
  });

  it("a config naming agent code outside the allowed folders is refused by runs, save and validate, naming the rule", async () => {
    const { db } = await getDatabase();
    const before = await databaseFingerprint(db);
    const yaml = scriptedConfigYaml(llm.url).replace(
      /^agent:\n(?:  .*\n)+?(?=teacher:)/m,
      "agent:\n  type: module\n  name: a\n  system_prompt: s\n  module: /tmp/evil.mjs\n",
    );
    expect(yaml).toContain("module: /tmp/evil.mjs");
    const headers = { host: "127.0.0.1:3000", "content-type": "application/json" };
    const runs = await app.fetch(new Request(`${ORIGIN}/api/runs`, { method: "POST", headers, body: JSON.stringify({ task: "t", config: { yaml } }) }));
    const save = await app.fetch(new Request(`${ORIGIN}/api/configs/evil`, { method: "PUT", headers, body: JSON.stringify({ yaml }) }));
    for (const response of [runs, save]) {
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; issues: { path: string; message: string }[] } };
      expect(body.error.code).toBe("invalid_config");
      expect(body.error.issues[0]).toMatchObject({ path: "agent.module" });
      expect(body.error.issues[0]?.message).toContain("agents load code only from the folders in ATLAS_AGENT_PATHS");
    }
    const validate = await app.fetch(new Request(`${ORIGIN}/api/configs/validate`, { method: "POST", headers, body: JSON.stringify({ yaml }) }));
    expect(await validate.json()).toMatchObject({ ok: false, issues: [{ path: "agent.module" }] });
    expect(await databaseFingerprint(db)).toEqual(before);
    expect(llm.requests).toHaveLength(0);
  });

  it("the same requests sent by the dashboard itself store and run", async () => {
    const { db } = await getDatabase();
    const { sessionId } = await seedSession(db, { task: "Cancel me", createdAt: new Date("2025-10-04T00:00:00Z") });
    const sameOrigin = { origin: ORIGIN, "sec-fetch-site": "same-origin" };
    const [run, save, validate, imported] = mutations(sessionId);
    const before = await databaseFingerprint(db);
    expect((await send(save!, sameOrigin)).status).toBe(200);
    expect((await send(validate!, sameOrigin)).status).toBe(200);
    expect((await send(imported!, sameOrigin)).status).toBe(200);
    const accepted = await send(run!, sameOrigin);
    expect(accepted.status).toBe(202);
    const { sessionId: started } = (await accepted.json()) as { sessionId: number };
    // The event stream closes after the session's terminal event.
    const stream = await app.fetch(new Request(`${ORIGIN}/api/sessions/${started}/events`, { headers: { host: "127.0.0.1:3000" } }));
    expect(await stream.text()).toContain("event: session.completed");
    expect(llm.requests.length).toBeGreaterThan(0);
    // The seeded session is not live in this process: the route itself answers (409), not the guard.
    expect((await send(mutations(sessionId)[4]!, sameOrigin)).status).toBe(409);
    expect(await databaseFingerprint(db)).not.toEqual(before);
  });
});
