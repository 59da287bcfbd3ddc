/**
 * Planted secrets (an API key and a `${VAR}` header value) must appear nowhere: not in the database,
 * an event, an export, a log line, or what the pages show (the API answers they render). The HTTP agent
 * echoes every header it receives into its answers, and one LLM server quotes the request's
 * Authorization header in its error, so both ways back from a call are exercised.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { exportChunks } from "@/lib/export/stream";
import { ExportFiltersSchema } from "@/lib/export/filters";
import { createAppHarness, type AppHarness } from "@/lib/http/testing/app-harness";
import { databaseDump } from "@/lib/http/testing/db-fingerprint";
import { demoRules, startScriptedLlm, type ScriptedLlm } from "@/lib/llm/scripted";
import { scriptedConfigYaml } from "@/lib/runs/testing/harness";

const API_KEY = "sk-planted-API-KEY-7f3a9c1e5b";
const HEADER_SECRET = "hdr-planted-SECRET-2d8e4f6a0c";
process.env.ATLAS_DATA_DIR = "memory://";
process.env.ATLAS_NO_SIGNAL_HANDLERS = "1";
process.env.ATLAS_PLANTED_KEY = API_KEY;
process.env.ATLAS_PLANTED_HEADER = HEADER_SECRET;
delete process.env.DATABASE_URL;
delete process.env.ATLAS_DB_DRIVER;
delete process.env.ATLAS_TOKEN;
delete process.env.HOST;

const ORIGIN = "http://127.0.0.1:3000";
const HOST = { host: "127.0.0.1:3000" };
let app: AppHarness;
let llm: ScriptedLlm;
let agent: Server;
let echoingLlm: Server;
const logged: string[] = [];
const restoreLogs: (() => void)[] = [];

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

async function bodyOf(request: import("node:http").IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Forwards prompts to the scripted LLM; step answers end with every header the agent received. */
function echoingAgent(llmUrl: string): Server {
  return createServer(async (request, response) => {
    const body = JSON.parse(await bodyOf(request)) as { prompt: string; metadata?: { mode?: string } };
    const forwarded = await fetch(`${llmUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "agent-model", messages: [{ role: "user", content: body.prompt }] }),
    });
    const content = ((await forwarded.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
    const echo = body.metadata?.mode === "execution" ? `\n(headers I got: ${JSON.stringify(request.headers)})` : "";
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ output: content + echo }));
  });
}

/** Every call fails, quoting the request's headers the way some gateways' error pages do. */
function quotingLlm(): Server {
  return createServer(async (request, response) => {
    await bodyOf(request);
    response.writeHead(401, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: { message: `invalid credentials in ${quote(request.headers)}`, type: "auth" } }));
  });
}
const quote = (headers: IncomingHttpHeaders) => `authorization=${headers.authorization} x-team=${headers["x-team"]}`;

function configYaml(llmUrl: string, agentUrl: string, teacherUrl = llmUrl): string {
  const yaml = scriptedConfigYaml(llmUrl, { keyEnv: "ATLAS_PLANTED_KEY" }).replace(
    /^agent:\n(?:  .*\n)+?(?=teacher:)/m,
    [
      "agent:",
      "  type: http_api",
      "  name: echoing-agent",
      "  system_prompt: You answer.",
      "  transport:",
      `    base_url: ${agentUrl}`,
      "    headers: {Authorization: 'Bearer ${ATLAS_PLANTED_HEADER}', X-Team: 'team-${ATLAS_PLANTED_HEADER}'}",
      "",
    ].join("\n"),
  );
  // The teacher's calls carry the planted key and a planted header to the quoting server.
  const teacher = teacherUrl === llmUrl ? "" : `    additional_headers: {X-Team: '\${ATLAS_PLANTED_HEADER}'}\n`;
  return yaml.replace(/(teacher:\n  llm:\n(?: {4}.*\n)*?) {4}api_base: [^\n]+\n/, `$1    api_base: ${teacherUrl}\n${teacher}`);
}

beforeAll(async () => {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      logged.push(args.map((arg) => (arg instanceof Error ? `${arg.message}\n${arg.stack}` : typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
      original(...args);
    };
    restoreLogs.push(() => (console[method] = original));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      logged.push(String(chunk));
      return original(chunk, ...rest);
    }) as typeof stream.write;
    restoreLogs.push(() => (stream.write = original));
  }
  app = await createAppHarness();
  llm = await startScriptedLlm({ rules: demoRules() });
  agent = echoingAgent(llm.url);
  echoingLlm = quotingLlm();
});
afterAll(async () => {
  const { getRunManager } = await import("@/lib/runs/process");
  await getRunManager().shutdown();
  await closeDatabase();
  await llm?.close();
  await new Promise((resolve) => agent?.close(resolve));
  await new Promise((resolve) => echoingLlm?.close(resolve));
  restoreLogs.forEach((restore) => restore());
});

async function runToEnd(yaml: string): Promise<{ sessionId: number; stream: string }> {
  const accepted = await app.fetch(
    new Request(`${ORIGIN}/api/runs`, { method: "POST", headers: { ...HOST, "content-type": "application/json" }, body: JSON.stringify({ task: "Compare two caching strategies", config: { yaml } }) }),
  );
  expect(accepted.status).toBe(202);
  const { sessionId } = (await accepted.json()) as { sessionId: number };
  const stream = await (await app.fetch(new Request(`${ORIGIN}/api/sessions/${sessionId}/events`, { headers: HOST }))).text();
  return { sessionId, stream };
}

describe("secrets are never stored, logged or shown", () => {
  it("a run whose agent echoes its headers and one whose LLM quotes the key in its error leave no trace of either", async () => {
    const agentUrl = await listen(agent);
    const quotingUrl = await listen(echoingLlm);
    const echoed = await runToEnd(configYaml(llm.url, agentUrl));
    const failed = await runToEnd(configYaml(llm.url, agentUrl, quotingUrl));
    // The secrets really went out, and really came back.
    expect(echoed.stream).toContain("[redacted ATLAS_PLANTED_HEADER]");
    expect(failed.stream).toContain("event: session.failed");
    expect(failed.stream).toContain("[redacted ATLAS_PLANTED_KEY]");
    expect(llm.requests.some((request) => JSON.stringify(request).includes(API_KEY))).toBe(true);

    const { db } = await getDatabase();
    const places: Record<string, string> = { "database dump": await databaseDump(db), "SSE streams": echoed.stream + failed.stream };
    const lines: string[] = [];
    for await (const chunk of exportChunks(db, ExportFiltersSchema.parse({}))) lines.push(chunk);
    places.export = lines.join("");
    for (const format of ["steps", "pairs"]) {
      places[`export ?format=${format}`] = await (await app.fetch(new Request(`${ORIGIN}/api/export?format=${format}`, { headers: HOST }))).text();
    }
    for (const { sessionId } of [echoed, failed]) {
      for (const path of [`/api/sessions/${sessionId}`, `/api/sessions/${sessionId}?evaluations=include`, `/api/sessions/${sessionId}/event-log?limit=500`, `/api/sessions/${sessionId}/steps/1`, `/api/sessions/${sessionId}/export`]) {
        places[path] = await (await app.fetch(new Request(`${ORIGIN}${path}`, { headers: HOST }))).text();
      }
    }
    for (const path of ["/api/sessions", "/api/overview", "/api/configs", "/api/configs/inline?version=1"]) {
      places[path] = await (await app.fetch(new Request(`${ORIGIN}${path}`, { headers: HOST }))).text();
    }
    places.logs = logged.join("\n");
    expect(places["database dump"]).toContain("[redacted ATLAS_PLANTED_HEADER]");
    for (const [place, text] of Object.entries(places)) {
      // The server may log nothing at all during these runs; every other place has content.
      if (place !== "logs") expect(text.length, place).toBeGreaterThan(0);
      expect(text.includes(API_KEY), `API key in ${place}`).toBe(false);
      expect(text.includes(HEADER_SECRET), `header secret in ${place}`).toBe(false);
    }
  });
});
