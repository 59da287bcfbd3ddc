/**
 * Experiment throughput on the in-process scheduler: BENCH_TASKS tasks × 2 arms against the scripted
 * OpenAI-compatible server at BENCH_LATENCY_MS per call, with BENCH_CONCURRENCY sessions at once.
 *
 *   npm run bench -- bench/experiment.ts
 *
 * Prints sessions per minute and the pick-up latency of a cell (its session row created → its first
 * stored event, from the database's own timestamps), p50 and p99. Runs on PostgreSQL when reachable,
 * else on an in-memory PGlite. A durable queue with worker processes would be measured the same way.
 */
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { runTask } from "@/lib/compose";
import { resolveConfigForRun } from "@/lib/configs";
import { queryRows } from "@/lib/db/raw";
import { databaseSessionStore } from "@/lib/db/session-store";
import { createTestDatabase, postgresUnavailableReason } from "@/lib/db/testing/databases";
import { runManagerLauncher } from "@/lib/experiments/launcher";
import { ExperimentRunner } from "@/lib/experiments/runner";
import { createExperiment, getExperimentDetail } from "@/lib/experiments/service";
import { demoRules, startScriptedLlm } from "@/lib/llm/scripted";
import { RunManager } from "@/lib/runs/run-manager";
import { SCRIPTED_KEY_ENV, scriptedConfigYaml } from "@/lib/runs/testing/harness";
import { createTaskSet } from "@/lib/task-sets/service";

const TASKS = Number(process.env.BENCH_TASKS ?? 200);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

async function main() {
  const driver = (await postgresUnavailableReason()) === null ? "postgres" : "pglite";
  const [database, llm] = await Promise.all([createTestDatabase(driver), startScriptedLlm({ rules: demoRules(), defaultLatencyMs: LATENCY_MS, recordLimit: 100 })]);
  const env = { [SCRIPTED_KEY_ENV]: "bench", ATLAS_ENDPOINT_CONCURRENCY: "64" };
  const manager = new RunManager({ database: async () => database.db, engine: runTask, resolveConfig: resolveConfigForRun, store: databaseSessionStore, maxConcurrent: CONCURRENCY, env });
  const runner = new ExperimentRunner({ database: async () => database.db, launcher: runManagerLauncher(manager) });
  const deps = { database: async () => database.db, runner, resolveConfig: resolveConfigForRun, env };
  try {
    const set = await createTaskSet(database.db, { name: "bench", tasks: Array.from({ length: TASKS }, (_, index) => ({ task: `Bench task ${index + 1}` })) });
    const started = performance.now();
    const { experimentId } = await createExperiment(deps, {
      taskSetId: set.id,
      arms: [{ config: { yaml: scriptedConfigYaml(llm.url) } }, { config: { yaml: scriptedConfigYaml(llm.url, { maxRetries: 2 }) } }],
    });
    await runner.whenIdle(experimentId);
    const wallMs = performance.now() - started;
    const detail = await getExperimentDetail(database.db, experimentId);
    const pickUps = (
      await queryRows<{ ms: number }>(
        database.db,
        sql`select extract(epoch from (min(e.created_at) - s.created_at)) * 1000 as ms
            from sessions s join trajectory_events e on e.session_id = s.id
            where s.experiment_id = ${experimentId} group by s.id, s.created_at`,
      )
    )
      .map((row) => Number(row.ms))
      .sort((a, b) => a - b);
    console.log(`experiment bench on ${driver}: ${TASKS} tasks × 2 arms, ${LATENCY_MS} ms per LLM call, ${CONCURRENCY} sessions at once`);
    console.log(`  cells: ${detail.counts.succeeded}/${detail.counts.total} succeeded in ${(wallMs / 1000).toFixed(1)} s`);
    console.log(`  throughput: ${((detail.runs.length / wallMs) * 60_000).toFixed(1)} sessions/min`);
    console.log(`  pick-up (row created → first event): p50 ${percentile(pickUps, 0.5).toFixed(1)} ms, p99 ${percentile(pickUps, 0.99).toFixed(1)} ms`);
    console.log(`  load average: ${loadavg().map((value) => value.toFixed(2)).join(" ")}`);
  } finally {
    await manager.shutdown();
    await llm.close();
    await database.close();
  }
}

await main();
