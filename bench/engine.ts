/**
 * Orchestration overhead of the engine: wall time of a run divided by the critical path of its LLM
 * round trips (what the run would take if the engine itself cost nothing).
 *
 *   npm run bench -- bench/engine.ts
 *
 * Scenario: a 6-step plan in 3 levels (1,2 → 3,4 → 5,6), steps 2 and 5 retried once after teacher
 * guidance, both judges (3 temperatures each) on every accepted attempt, against the scripted
 * OpenAI-compatible server at a fixed 50 ms latency, running in its own process (bench/engine-llm.ts) as a
 * real model would. The agent is an in-process function (no latency).
 * The critical path is computed from the recorded LLM calls: plan review, then per level the slowest
 * step's chain of (validation → slowest judge sample → arbiter, if any) over its attempts.
 * Target: ratio ≤ 1.10, with no store and with the PGlite store.
 */
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { AgentAdapter } from "@/lib/adapters/types";
import { parseConfigObject, type AtlasConfig } from "@/lib/config";
import { runTask, type SessionTarget } from "@/lib/compose";
import { openMigratedDatabase } from "@/lib/db/open";
import { createTestDatabase, postgresUnavailableReason } from "@/lib/db/testing/databases";
import type { EventOf, TrajectoryEvent } from "@/lib/trajectory";

const LATENCY_MS = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RETRIED_STEPS = new Set([2, 5]);
const PLAN = {
  steps: [
    { id: 1, description: "Load source A", depends_on: [] },
    { id: 2, description: "Load source B", depends_on: [] },
    { id: 3, description: "Clean source A", depends_on: [1] },
    { id: 4, description: "Clean source B", depends_on: [2] },
    { id: 5, description: "Join A and B", depends_on: [3, 4] },
    { id: 6, description: "Chart A", depends_on: [3] },
  ],
};

function benchAgent(): AgentAdapter {
  return {
    type: "bench",
    async invoke({ metadata }) {
      if ("mode" in metadata && metadata.mode === "planning") return { text: JSON.stringify(PLAN) };
      if ("mode" in metadata && metadata.mode === "synthesis") return { text: "Final Answer: done" };
      const step = "step" in metadata ? metadata.step.id : 0;
      return { text: JSON.stringify({ status: "ok", result: { deliverable: `output of step ${step}`, artifacts: { step } } }) };
    },
    async close() {},
  };
}

function benchConfig(url: string): AtlasConfig {
  const llm = (model: string) => ({ model, api_base: url, api_key_env: null, retry: { attempts: 1, backoff_seconds: 0 } });
  const parsed = parseConfigObject({
    agent: { type: "module", name: "bench", system_prompt: "Bench agent.", module: "./unused.mjs" },
    teacher: { llm: llm("teacher") },
    orchestration: { max_retries: 1, max_parallel_steps: 4, step_timeout_seconds: 0 },
    // Enough workers for the samples of two parallel steps (2 × 6) at once, so each step's samples are one
    // round trip, as the critical path assumes.
    rim: { small_model: llm("judge"), large_model: llm("arbiter"), parallel_workers: 16 },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

interface BenchLlm {
  url: string;
  requestCount(): Promise<number>;
  reset(): Promise<void>;
  close(): void;
}

/** Starts bench/engine-llm.ts in its own process and talks to its control port. */
async function startBenchLlm(): Promise<BenchLlm> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "engine-llm.ts"), String(LATENCY_MS), [...RETRIED_STEPS].join(",")], {
    cwd: path.join(import.meta.dirname, ".."),
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((next) => [next.value as string]);
  const { url, control } = JSON.parse(line ?? "{}") as { url: string; control: string };
  return {
    url,
    requestCount: async () => ((await (await fetch(`${control}/bench/requests`)).json()) as { count: number }).count,
    reset: async () => void (await fetch(`${control}/bench/reset`, { method: "POST" })),
    close: () => void child.kill("SIGTERM"),
  };
}

type LlmCall = EventOf<"llm.call">;

/**
 * The critical path of LLM round trips. The chain comes from the run's llm.call events (stage, step,
 * attempt); `costOf` prices each call: the server's fixed latency (the ideal round trip) or the
 * latency the client measured (which also contains transport and any event-loop delay).
 */
function criticalPathMs(events: TrajectoryEvent[], costOf: (call: LlmCall) => number): number {
  const calls = events.filter((event): event is LlmCall => event.type === "llm.call");
  const sum = (list: LlmCall[]) => list.reduce((total, call) => total + costOf(call), 0);
  const review = sum(calls.filter((call) => call.stage === "plan_review"));
  const levels = [[1, 2], [3, 4], [5, 6]];
  let total = review;
  for (const level of levels) {
    let slowest = 0;
    for (const stepId of level) {
      const stepCalls = calls.filter((call) => call.stepId === stepId);
      const attempts = [...new Set(stepCalls.map((call) => call.attempt ?? 1))];
      let chain = 0;
      for (const attempt of attempts) {
        const ofAttempt = stepCalls.filter((call) => (call.attempt ?? 1) === attempt);
        const validation = sum(ofAttempt.filter((call) => call.stage === "validation"));
        const judges = new Set(ofAttempt.filter((call) => call.stage.startsWith("judge:")).map((call) => call.stage.slice(6)));
        let reward = 0;
        for (const judge of judges) {
          const samples = Math.max(0, ...ofAttempt.filter((call) => call.stage === `judge:${judge}`).map(costOf));
          const arbiter = sum(ofAttempt.filter((call) => call.stage === `arbiter:${judge}`));
          reward = Math.max(reward, samples + arbiter);
        }
        chain += validation + reward;
      }
      slowest = Math.max(slowest, chain);
    }
    total += slowest;
  }
  return total;
}

interface Sample {
  wallMs: number;
  /** Critical path priced at the server's fixed latency per round trip. */
  serverCriticalMs: number;
  /** Critical path priced at the client-measured latency of each call. */
  clientCriticalMs: number;
}

async function measure(server: BenchLlm, store: SessionTarget): Promise<Sample> {
  const events: TrajectoryEvent[] = [];
  const started = performance.now();
  const result = await runTask({
    task: "Build the weekly report",
    config: benchConfig(server.url),
    store,
    adapter: benchAgent(),
    onEvent: (event) => events.push(event),
  });
  const wallMs = performance.now() - started;
  if (result.status !== "succeeded") throw new Error(`bench run ${result.status}: ${result.error ?? ""}`);
  const attempts = result.stepResults.map((step) => step.attempts);
  if (attempts.join(",") !== "1,2,1,1,2,1") throw new Error(`unexpected attempts ${attempts.join(",")}`);
  const requests = await server.requestCount();
  const calls = events.filter((event) => event.type === "llm.call").length;
  if (requests !== calls) throw new Error(`request log has ${requests} requests but the run recorded ${calls} llm.call events`);
  await server.reset();
  return {
    wallMs,
    serverCriticalMs: criticalPathMs(events, () => LATENCY_MS),
    clientCriticalMs: criticalPathMs(events, (call) => call.latencyMs),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function bench(label: string, server: BenchLlm, store: SessionTarget) {
  await measure(server, store); // warm-up: module loading, JIT, first connections
  const samples: Sample[] = [];
  for (let index = 0; index < RUNS; index += 1) samples.push(await measure(server, store));
  const wall = median(samples.map((sample) => sample.wallMs));
  const serverCritical = median(samples.map((sample) => sample.serverCriticalMs));
  const clientCritical = median(samples.map((sample) => sample.clientCriticalMs));
  const ratio = median(samples.map((sample) => sample.wallMs / sample.clientCriticalMs));
  const idealRatio = median(samples.map((sample) => sample.wallMs / sample.serverCriticalMs));
  console.log(
    `${label.padEnd(15)} wall ${wall.toFixed(1)} ms (median of ${RUNS}); critical path of LLM round trips ${clientCritical.toFixed(0)} ms\n` +
      `${"".padEnd(15)} overhead ratio ${ratio.toFixed(3)} (target ≤ 1.10: ${ratio <= 1.1 ? "met" : "NOT met"})\n` +
      `${"".padEnd(15)} (against ${serverCritical.toFixed(0)} ms = round trips × the server's fixed ${LATENCY_MS} ms: ${idealRatio.toFixed(3)})`,
  );
}

const server = await startBenchLlm();
try {
  console.log(`engine overhead: 6 steps / 3 levels / 2 retries / 2 judges × 3 samples, scripted LLM at ${LATENCY_MS} ms`);
  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(2)} (other processes inflate the overhead)`);
  await bench("engine only", server, "none");
  const pglite = await openMigratedDatabase({ driver: "pglite", dataDir: "memory://" });
  try {
    await bench("+ PGlite store", server, { database: pglite.db });
  } finally {
    await pglite.close();
  }
  const postgresSkip = await postgresUnavailableReason();
  if (postgresSkip) {
    console.log(`+ PostgreSQL store skipped: ${postgresSkip}`);
  } else {
    const postgres = await createTestDatabase("postgres");
    try {
      await bench("+ PostgreSQL", server, { database: postgres.db });
    } finally {
      await postgres.close();
    }
  }
} finally {
  server.close();
}
