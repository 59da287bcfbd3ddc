/**
 * Planted secrets (an API key and a `${VAR}` header value) must appear nowhere: not in the database,
 * an event, an export, a log line, or what the pages show (the API answers they render). The HTTP agent
 * echoes every header it receives into its answers, and one LLM server quotes the request's
 * Authorization header in its error, so both ways back from a call are exercised. A module agent and a
 * Python agent put the API key from their environment into their answers, and an `openai` agent sends
 * it to its model: each adapter type's calls are captured, and no capture may hold either secret.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
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
const AGENT_DIR = mkdtempSync(path.join(os.tmpdir(), "atlas-leaky-agents-"));
const EXAMPLE_AGENTS = path.resolve(import.meta.dirname, "../../configs/examples/agents");
process.env.ATLAS_AGENT_PATHS = AGENT_DIR;
delete process.env.ATLAS_CAPTURE_CALLS;
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

/** The example agents, each adding the key it finds in its environment to every step answer. */
function writeLeakyAgents(): void {
  writeFileSync(
    path.join(AGENT_DIR, "leaky_agent.mjs"),
    [
      `import demo from ${JSON.stringify(pathToFileURL(path.join(EXAMPLE_AGENTS, "demo_agent.mjs")).href)};`,
      "export default async function leaky(prompt, metadata) {",
      "  const reply = await demo(prompt, metadata);",
      '  if (metadata?.mode !== "execution") return reply;',
      "  try { return JSON.stringify({ ...JSON.parse(reply), leak: process.env.ATLAS_PLANTED_KEY }); } catch { return `${reply} ${process.env.ATLAS_PLANTED_KEY}`; }",
      "}",
      "",
    ].join("\n"),
  );
  writeFileSync(
    path.join(AGENT_DIR, "leaky_agent.py"),
    [
      "import json, os, sys",
      `sys.path.insert(0, ${JSON.stringify(EXAMPLE_AGENTS)})`,
      "from python_agent import run_agent as example",
      "",
      "def run_agent(prompt, metadata=None):",
      "    reply = example(prompt, metadata)",
      "    if (metadata or {}).get('mode') != 'execution':",
      "        return reply",
      "    answer = json.loads(reply)",
      "    answer['leak'] = os.environ.get('ATLAS_PLANTED_KEY')",
      "    return json.dumps(answer)",
      "",
    ].join("\n"),
  );
}

/** The scripted config with another agent block. */
function withAgent(llmUrl: string, agent: string[]): string {
  return scriptedConfigYaml(llmUrl, { keyEnv: "ATLAS_PLANTED_KEY" }).replace(/^agent:\n(?:  .*\n)+?(?=teacher:)/m, ["agent:", ...agent, ""].join("\n"));
}

function moduleAgentYaml(llmUrl: string): string {
  return withAgent(llmUrl, ["  type: module", "  name: leaky-module", "  system_prompt: You answer.", `  module: ${path.join(AGENT_DIR, "leaky_agent.mjs")}`]);
}

function pythonAgentYaml(llmUrl: string): string {
  return withAgent(llmUrl, [
    "  type: python",
    "  name: leaky-python",
    "  system_prompt: You answer.",
    "  import_path: leaky_agent",
    "  attribute: run_agent",
    `  working_directory: ${AGENT_DIR}`,
  ]);
}

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
  writeLeakyAgents();
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
  rmSync(AGENT_DIR, { recursive: true, force: true });
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
    const byModule = await runToEnd(moduleAgentYaml(llm.url));
    const byPython = await runToEnd(pythonAgentYaml(llm.url));
    const byOpenai = await runToEnd(scriptedConfigYaml(llm.url, { keyEnv: "ATLAS_PLANTED_KEY" }));
    const runs = [echoed, failed, byModule, byPython, byOpenai];
    // The module and Python agents really leaked the key, and it was replaced before storage.
    for (const leaky of [byModule, byPython]) expect(leaky.stream).toContain("[redacted ATLAS_PLANTED_KEY]");
    // The secrets really went out, and really came back.
    expect(echoed.stream).toContain("[redacted ATLAS_PLANTED_HEADER]");
    expect(failed.stream).toContain("event: session.failed");
    expect(failed.stream).toContain("[redacted ATLAS_PLANTED_KEY]");
    expect(llm.requests.some((request) => JSON.stringify(request).includes(API_KEY))).toBe(true);

    const { db } = await getDatabase();
    const places: Record<string, string> = { "database dump": await databaseDump(db), "SSE streams": runs.map((run) => run.stream).join("") };
    const lines: string[] = [];
    for await (const chunk of exportChunks(db, ExportFiltersSchema.parse({}))) lines.push(chunk);
    places.export = lines.join("");
    for (const format of ["steps", "pairs"]) {
      places[`export ?format=${format}`] = await (await app.fetch(new Request(`${ORIGIN}/api/export?format=${format}`, { headers: HOST }))).text();
    }
    let capturedCalls = 0;
    for (const { sessionId } of runs) {
      const list = (await (await app.fetch(new Request(`${ORIGIN}/api/sessions/${sessionId}/calls`, { headers: HOST }))).json()) as {
        calls: { id: number; kind: string; captured: boolean }[];
      };
      expect(new Set(list.calls.map((call) => call.kind)), `call kinds of session ${sessionId}`).toEqual(new Set(["llm", "agent"]));
      for (const call of list.calls) {
        const detail = await (await app.fetch(new Request(`${ORIGIN}/api/sessions/${sessionId}/calls/${call.id}`, { headers: HOST }))).text();
        places[`/api/sessions/${sessionId}/calls/${call.id}`] = detail;
        if (call.captured) capturedCalls += 1;
      }
      for (const path of [`/api/sessions/${sessionId}/calls`, `/api/sessions/${sessionId}`, `/api/sessions/${sessionId}?evaluations=include`, `/api/sessions/${sessionId}/event-log?limit=500`, `/api/sessions/${sessionId}/steps/1`, `/api/sessions/${sessionId}/export`]) {
        places[path] = await (await app.fetch(new Request(`${ORIGIN}${path}`, { headers: HOST }))).text();
      }
    }
    for (const path of ["/api/sessions", "/api/overview", "/api/configs", "/api/configs/inline?version=1"]) {
      places[path] = await (await app.fetch(new Request(`${ORIGIN}${path}`, { headers: HOST }))).text();
    }
    expect(capturedCalls).toBeGreaterThan(runs.length * 5);
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
