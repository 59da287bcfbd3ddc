/**
 * Many runs on one server, each watched by several SSE subscribers over real HTTP: runs beyond the
 * concurrency limit queue, every subscriber receives every stored event once and in order, and the
 * heap returns near its baseline once the runs end. `npm run test:stress`: 30 runs × 10 subscribers.
 */
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { listSessionEvents } from "@/lib/db/queries/session-views";
import { createAppHarness } from "@/lib/http/testing/app-harness";
import { serveHarness, type ServedHarness } from "@/lib/http/testing/serve-harness";
import { demoRules, startScriptedLlm, type ScriptedLlm } from "@/lib/llm/scripted";
import { stressCount, STRESS_TIMEOUT_MS } from "@/lib/testing/stress";
import { parseSseStream } from "@/lib/http/sse";
import { scriptedConfigYaml, SCRIPTED_KEY_ENV } from "./testing/harness";

const RUNS = stressCount(6, 30);
const SUBSCRIBERS = stressCount(3, 10);
const MAX_CONCURRENT = 4;
/** What may stay on the heap after the runs (caches, compiled code): far below what the runs allocated. */
const HEAP_SLACK_BYTES = 64 * 1024 * 1024;

process.env.ATLAS_DATA_DIR = "memory://";
process.env.ATLAS_NO_SIGNAL_HANDLERS = "1";
process.env.ATLAS_MAX_CONCURRENT_RUNS = String(MAX_CONCURRENT);
process.env[SCRIPTED_KEY_ENV] = "test-key";
delete process.env.DATABASE_URL;
delete process.env.ATLAS_DB_DRIVER;
delete process.env.ATLAS_TOKEN;
delete process.env.HOST;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
let llm: ScriptedLlm;
let server: ServedHarness;

beforeAll(async () => {
  llm = await startScriptedLlm({ rules: demoRules(), recordLimit: 100 });
  server = await serveHarness(await createAppHarness());
});
afterAll(async () => {
  const { getRunManager } = await import("./process");
  await getRunManager().shutdown();
  await server?.close();
  await closeDatabase();
  await llm?.close();
});

async function startRun(task: string): Promise<{ sessionId: number; status: string }> {
  const response = await fetch(`${server.url}/api/runs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ task, config: { yaml: scriptedConfigYaml(llm.url) } }),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as { sessionId: number; status: string };
}

/** Every event id the stream delivers, until the server closes it after the terminal event. */
async function subscribe(sessionId: number): Promise<number[]> {
  const response = await fetch(`${server.url}/api/sessions/${sessionId}/events`);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const seqs: number[] = [];
  for await (const message of parseSseStream(response.body!)) if (message.id !== null) seqs.push(Number(message.id));
  return seqs;
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe("load on one server", () => {
  it(`${RUNS} concurrent runs with ${SUBSCRIBERS} SSE subscribers each: every event once, in order; memory returns near its baseline`, async () => {
    // Warm up (modules, database, prepared statements) before the baseline.
    const warm = await startRun("Warm up");
    await subscribe(warm.sessionId);
    const baseline = heapAfterGc();

    const accepted = await Promise.all(Array.from({ length: RUNS }, (_, index) => startRun(`Load run ${index + 1}`)));
    expect(accepted.filter((run) => run.status === "queued").length).toBeGreaterThanOrEqual(RUNS - MAX_CONCURRENT);
    const received = await Promise.all(
      accepted.map(async ({ sessionId }) => ({ sessionId, streams: await Promise.all(Array.from({ length: SUBSCRIBERS }, () => subscribe(sessionId))) })),
    );

    const { db } = await getDatabase();
    for (const { sessionId, streams } of received) {
      const stored = (await listSessionEvents(db, { sessionId, after: 0, limit: 100_000 })).map((event) => event.seq);
      expect(stored.length).toBeGreaterThan(5);
      for (const seqs of streams) expect(seqs, `session ${sessionId}`).toEqual(stored);
    }
    const { getRunManager } = await import("./process");
    for (const { sessionId } of accepted) {
      expect(getRunManager().isLive(sessionId)).toBe(false);
      expect(getRunManager().bus.subscriberCount(sessionId)).toBe(0);
    }
    received.length = 0;
    const after = heapAfterGc();
    console.info(`load: heap ${(baseline / 1e6).toFixed(1)} MB before, ${(after / 1e6).toFixed(1)} MB after ${RUNS} runs × ${SUBSCRIBERS} subscribers`);
    expect(after).toBeLessThan(baseline + HEAP_SLACK_BYTES);
  }, STRESS_TIMEOUT_MS);
});
