/**
 * Export benchmark: `atlas export` (spawned, so its peak RSS is its own) against a baseline that builds the
 * same nested records entirely in SQL (json_agg of steps, attempts, guidance and events per session) and copies
 * them out with `psql \copy`. Both read the same scratch PostgreSQL database, seeded with INSERT … SELECT
 * generate_series (not through the engine), dropped at the end.
 *
 *   npm run bench -- bench/export.ts [--sessions 1000,10000] [--runs 1]
 *
 * Targets: throughput ratio (ours ÷ baseline, sessions/s) ≥ 0.5 and our peak RSS < 300 MB at every size.
 */
import { spawn } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openMigratedDatabase } from "@/lib/db/open";
import { createScratchPostgresDatabase, postgresUnavailableReason } from "@/lib/db/testing/databases";
import { judgedReward } from "@/lib/export/testing/fixture";

const STEPS_PER_SESSION = 5;
const EVENTS_PER_SESSION = 40;
const EVENT_LIMIT = 200;
const SEED_CHUNK = 1000;
const repoRoot = path.resolve(import.meta.dirname, "..");
const timeBinary = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

interface Measurement {
  seconds: number;
  backendCpuSeconds?: number;
  /** CPU of the exporting process plus the PostgreSQL backends serving it: steadier than wall time on a busy machine. */
  cpuSeconds: number;
  peakRssMb: number | null;
  outputBytes: number;
  lines: number;
}

interface Timed {
  seconds: number;
  cpuSeconds: number;
  /** The PostgreSQL backends' share of `cpuSeconds`. */
  backendCpuSeconds?: number;
  peakRssMb: number | null;
}

async function main() {
  const { values } = parseArgs({
    options: {
      sessions: { type: "string", default: "1000,10000" },
      runs: { type: "string", default: "1" },
      // Reuse a database this benchmark seeded before (kept, not dropped); seeds it when it has too few sessions.
      "database-url": { type: "string" },
    },
  });
  const sizes = values.sessions.split(",").map((value) => Number(value.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) throw new Error(`--sessions must list positive integers (got ${values.sessions})`);
  const runs = Math.max(1, Number(values.runs) || 1);
  const unavailable = await postgresUnavailableReason();
  if (unavailable) {
    console.log(`export benchmark skipped: ${unavailable}`);
    return;
  }

  const given = values["database-url"];
  const scratch = given ? { url: given, drop: async () => undefined } : await createScratchPostgresDatabase();
  const folder = mkdtempSync(path.join(os.tmpdir(), "atlas-export-bench-"));
  try {
    const migrated = await openMigratedDatabase({ driver: "postgres", url: scratch.url });
    await migrated.close();
    const total = Math.max(...sizes);
    const seedStarted = performance.now();
    const present = await sessionCount(scratch.url);
    if (present > 0 && present < total) throw new Error(`${given} holds ${present} sessions; give an empty database or one with ≥ ${total}`);
    if (present === 0) await seed(scratch.url, total);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.log(
      `export benchmark: ${count(total)} sessions × ${STEPS_PER_SESSION} steps × ${EVENTS_PER_SESSION} events ${present === 0 ? "seeded" : "reused"} in ${seedSeconds.toFixed(1)} s` +
        ` · load ${os.loadavg().map((load) => load.toFixed(2)).join(" ")} · ${os.cpus().length} CPUs` +
        ` · peak RSS from ${timeBinary ? "/usr/bin/time -v" : "/proc/<pid>/status VmHWM"}`,
    );
    console.log("");
    const header = ["sessions", "ours wall s", "CPU s", "RSS", "MB", "same-shape SQL wall s", "CPU s", "MB", "compact SQL wall s", "CPU s", "MB", "ratio wall", "ratio CPU"];
    const widths = header.map((cell) => Math.max(cell.length, 7));
    const printRow = (row: string[]) => console.log(row.map((cell, column) => cell.padStart(widths[column]!)).join("  "));
    printRow(header);
    const verdicts: string[] = [];
    for (const size of sizes) {
      let ours: Measurement | null = null;
      let sameShape: Measurement | null = null;
      let compact: Measurement | null = null;
      const best = (current: Measurement | null, next: Measurement) => (!current || next.seconds < current.seconds ? next : current);
      for (let run = 0; run < runs; run += 1) {
        const measured = {
          compact: await measureBaseline(scratch.url, size, path.join(folder, `compact-${size}.jsonl`), "compact"),
          ours: await measureOurs(scratch.url, size, path.join(folder, `ours-${size}.jsonl`)),
          sameShape: await measureBaseline(scratch.url, size, path.join(folder, `same-shape-${size}.jsonl`), "same-shape"),
        };
        for (const [name, measurement] of Object.entries(measured)) {
          if (measurement.lines !== size) throw new Error(`${name} wrote ${measurement.lines} lines for ${size} sessions`);
        }
        ours = best(ours, measured.ours);
        sameShape = best(sameShape, measured.sameShape);
        compact = best(compact, measured.compact);
      }
      const [o, same, low] = [ours!, sameShape!, compact!];
      // Throughput ratio = our sessions/s ÷ the baseline's = baseline time ÷ our time.
      const wallRatio = same.seconds / o.seconds;
      const cpuRatio = same.cpuSeconds / o.cpuSeconds;
      const mb = (measurement: Measurement) => (measurement.outputBytes / 1e6).toFixed(0);
      printRow([
        count(size),
        o.seconds.toFixed(2), o.cpuSeconds.toFixed(2), megabytes(o.peakRssMb), mb(o),
        same.seconds.toFixed(2), same.cpuSeconds.toFixed(2), mb(same),
        low.seconds.toFixed(2), low.cpuSeconds.toFixed(2), mb(low),
        wallRatio.toFixed(2), cpuRatio.toFixed(2),
      ]);
      const verdict = (ratio: number) => `${ratio.toFixed(2)} (${ratio >= 0.5 ? "met" : "MISSED"})`;
      verdicts.push(
        `${count(size)} sessions: ${count(Math.round(size / o.seconds))} sessions/s; throughput ratio against the same records built in SQL ` +
          `(target ≥ 0.5): wall ${verdict(wallRatio)}, CPU ${verdict(cpuRatio)}; against the compact lower bound: wall ` +
          `${(low.seconds / o.seconds).toFixed(2)}, CPU ${(low.cpuSeconds / o.cpuSeconds).toFixed(2)}; peak RSS ${megabytes(o.peakRssMb)} ` +
          `(target < 300 MB: ${o.peakRssMb !== null && o.peakRssMb < 300 ? "met" : "MISSED"}); our CPU ${o.cpuSeconds.toFixed(2)} s = ` +
          `node ${(o.cpuSeconds - (o.backendCpuSeconds ?? 0)).toFixed(2)} s + PostgreSQL ${(o.backendCpuSeconds ?? 0).toFixed(2)} s`,
      );
    }
    console.log("");
    for (const verdict of verdicts) console.log(verdict);
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await scratch.drop();
  }
}

async function sessionCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>("select count(*) as count from sessions");
    return Number(rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

/** Sessions, plans, 5 steps, 6 attempts, 1 guidance note and 40 events per session, in chunks of INSERT … SELECT. */
async function seed(url: string, total: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const templates = seedTemplates();
    for (let first = 1; first <= total; first += SEED_CHUNK) {
      const last = Math.min(total, first + SEED_CHUNK - 1);
      await client.query("begin");
      await client.query(
        `insert into sessions (task, status, metadata, final_answer, execution_mode, config_name, config_hash, created_at,
            started_at, completed_at, duration_ms, step_count, attempt_count, reward_score, judge_outcomes, escalations,
            prompt_tokens, completion_tokens, reasoning_tokens, cost_usd, llm_calls, last_seq)
         select 'Bench task #' || g || ': reconcile the quarterly revenue figures and explain every variance above 5%',
                case when g % 10 = 0 then 'failed' else 'succeeded' end,
                jsonb_build_object('tenant', 'bench', 'batch', g / 100, 'tags', jsonb_build_array('bench', 'q3')),
                'Summary: reconciled ' || g || E'\\nFinal Answer: revenue was 10.2M, variances explained',
                'stepwise', 'bench', 'h-bench',
                timestamptz '2025-01-01T00:00:00Z' + g * interval '1 minute',
                timestamptz '2025-01-01T00:00:00Z' + g * interval '1 minute' + interval '5 ms',
                timestamptz '2025-01-01T00:00:30Z' + g * interval '1 minute',
                30000, ${STEPS_PER_SESSION}, ${STEPS_PER_SESSION + 1}, 0.8, 10, 1, 21000, 3400, 0, 0.0125, 28, ${EVENTS_PER_SESSION}
         from generate_series($1::int, $2::int) g`,
        [first, last],
      );
      await client.query(
        `insert into plans (session_id, plan, original_plan, review)
         select id, $3::jsonb, $3::jsonb, '{"mode": "stepwise", "concerns": null, "changes": []}'::jsonb
         from sessions where id between $1 and $2`,
        [first, last, templates.plan],
      );
      await client.query(
        `insert into step_results (session_id, step_id, description, status, trace, output, evaluation, attempts, metadata,
            reward_score, started_at, completed_at)
         select s.id, k, 'Step ' || k || ' of the reconciliation', 'succeeded',
                'HUMAN: Step ID: ' || k || E'\\nDescription: step ' || k || E'\\nAI: ' || $3::text,
                $3::text, $4::jsonb, case when k = 1 then 2 else 1 end, $5::jsonb, 0.8,
                s.created_at + k * interval '1 s', s.created_at + k * interval '1 s' + interval '800 ms'
         from sessions s cross join generate_series(1, ${STEPS_PER_SESSION}) k where s.id between $1 and $2`,
        [first, last, templates.output, templates.evaluation, templates.metadata],
      );
      await client.query(
        `insert into step_attempts (session_id, step_id, attempt, evaluation, status, outcome, output, trace, timings_ms,
            reward_skipped, reward_score)
         select r.session_id, r.step_id, a, case when a < r.attempts then $3::jsonb else r.evaluation end, 'ok',
                case when a < r.attempts then 'retry' else 'accepted' end, r.output, r.trace,
                '{"student_ms": 812.4, "validation_ms": 640.2, "reward_ms": 1530.9, "total_ms": 2983.5}'::jsonb,
                a < r.attempts, case when a < r.attempts then null else 0.8 end
         from step_results r cross join lateral generate_series(1, r.attempts) a where r.session_id between $1 and $2`,
        [first, last, templates.rejectedEvaluation],
      );
      await client.query(
        `insert into guidance_notes (session_id, step_id, sequence, note, for_attempt)
         select id, 1, 1, 'Cite the source table for every figure.', 2 from sessions where id between $1 and $2`,
        [first, last],
      );
      await client.query(
        `insert into trajectory_events (session_id, seq, type, event, created_at)
         select s.id, e, t.type,
                t.body || jsonb_build_object('sessionId', s.id, 'seq', e,
                  'ts', to_char((s.created_at + e * interval '250 ms') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
                s.created_at + e * interval '250 ms'
         from sessions s cross join generate_series(1, ${EVENTS_PER_SESSION}) e
         join jsonb_to_recordset($3::jsonb) as t(slot int, type text, body jsonb) on t.slot = e % $4::int
         where s.id between $1 and $2`,
        [first, last, JSON.stringify(templates.events), templates.events.length],
      );
      await client.query("commit");
    }
    await client.query("analyze");
  } finally {
    await client.end();
  }
}

function seedTemplates() {
  const output = "Revenue was 10.2M (source: ledger table 4); variances: EMEA +7% (FX), APAC -6% (one-off refund).";
  const reward = judgedReward(0.8);
  const validation = { valid: true, guidance: null, status: "ok", artifacts: { rows: [4, 5] }, deliverable: output, text: output };
  const metadata = {
    reasoning: [{ origin: "student", payload: { content: output } }],
    status: "ok",
    artifacts: { rows: [4, 5] },
    deliverable: output,
    result: { deliverable: output, artifacts: { rows: [4, 5] } },
    structured_output: { status: "ok", deliverable: output, artifacts: { rows: [4, 5] }, text: output },
    text: output,
    runtime: { reward_skipped: false, timings_ms: { student_ms: 812.4, validation_ms: 640.2, reward_ms: 1530.9, total_ms: 2983.5 } },
  };
  const rejected = {
    validation: { ...validation, valid: false, guidance: "Cite the source table for every figure." },
    reward: { score: 0, rationale: "validation_failed", judges: [], raw: { skipped: true, reason: "validation_failed" } },
  };
  const llmCall = { type: "llm.call", actor: "student", stage: "executor", model: "bench/student", latencyMs: 812, promptTokens: 750, completionTokens: 120, reasoningTokens: 0, costUsd: 0.0004, tries: 1, error: null };
  const events = [
    { type: "llm.call", body: llmCall },
    { type: "attempt.started", body: { type: "attempt.started", actor: "student", stepId: 1, attempt: 1, guidance: [], context: { "1": { output_text: output, status: "ok" } } } },
    { type: "validation", body: { type: "validation", actor: "teacher", stepId: 1, attempt: 1, valid: true, guidance: null, validation } },
    { type: "judge.sample", body: { type: "judge.sample", actor: "reward", stepId: 1, attempt: 1, judge: "process", temperature: 0.5, sample: reward.judges[0]!.samples[1], error: null } },
    { type: "reward", body: { type: "reward", actor: "reward", stepId: 1, attempt: 1, score: 0.8, skipped: false, breakdown: { ...reward, raw: { score: 0.8 } } } },
    { type: "tool.call", body: { type: "tool.call", actor: "agent", stepId: 1, attempt: 1, tool: "ledger_lookup", callId: "c1", arguments: { table: 4, quarter: "Q3" } } },
    { type: "tool.result", body: { type: "tool.result", actor: "agent", stepId: 1, attempt: 1, tool: "ledger_lookup", callId: "c1", output: "rows: 4, 5", error: null, durationMs: 12.5 } },
    { type: "llm.call", body: { ...llmCall, actor: "teacher", stage: "validation", model: "bench/teacher" } },
  ].map((event, slot) => ({ slot, ...event }));
  const plan = {
    steps: Array.from({ length: STEPS_PER_SESSION }, (_, index) => ({
      id: index + 1,
      description: `Step ${index + 1} of the reconciliation`,
      tool: index === 1 ? "ledger_lookup" : null,
      tool_params: index === 1 ? { table: 4 } : null,
      depends_on: index === 0 ? [] : [index],
    })),
    execution_mode: "stepwise",
  };
  return {
    output,
    plan: JSON.stringify(plan),
    evaluation: JSON.stringify({ validation, reward }),
    rejectedEvaluation: JSON.stringify(rejected),
    metadata: JSON.stringify(metadata),
    events,
  };
}

async function measureOurs(url: string, size: number, output: string): Promise<Measurement> {
  const args = [
    path.join(repoRoot, "lib/cli/bin.mjs"), "export", "--database-url", url, "--output", output, "--quiet",
    "--limit", String(size), "--trajectory-event-limit", String(EVENT_LIMIT),
  ];
  const measured = await withBackendCpu(url, "atlas_bench_ours", (tagged) =>
    timed(process.execPath, args.map((arg) => (arg === url ? tagged : arg)), { DATABASE_URL: "" }),
  );
  return { ...measured, ...(await fileStats(output)) };
}

type Baseline = "compact" | "same-shape";

/**
 * The nested record per session built by PostgreSQL (json_agg of steps, attempts, guidance and events) and
 * copied out by psql. Two variants:
 * - `same-shape`: the upstream record with its repetitions (reward.raw, the seeded metadata keys lifted onto each
 *   step, attempt history twice, raw_evaluation, events in two places, cumulative prior results) — the same
 *   content as ours, without our key-order work, Python coercions and additive blocks;
 * - `compact`: each thing once (steps with their attempts and guidance, events once) — a lower bound.
 */
async function measureBaseline(url: string, size: number, output: string, variant: Baseline): Promise<Measurement> {
  const events = `
    cross join lateral (
      select coalesce(json_agg(json_build_object('id', e.id, 'event', e.event, 'created_at', e.created_at, 'type', e.event->'type')
             order by e.seq), '[]'::json) as events
      from (select id, seq, event, created_at from trajectory_events t where t.session_id = s.id
            order by t.seq desc limit ${EVENT_LIMIT}) e) ev`;
  const history = (columns: string) => `
    cross join lateral (
      select coalesce(json_agg(json_build_object(${columns}) order by a.attempt), '[]'::json) as history
      from step_attempts a where a.session_id = r.session_id and a.step_id = r.step_id) h`;
  const guidance = `(select coalesce(json_agg(g.note order by g.sequence), '[]'::json) from guidance_notes g
                     where g.session_id = r.session_id and g.step_id = r.step_id)`;
  const sameShapeSteps = `
    cross join lateral (
      select json_agg(json_build_object(
          'step_id', r.step_id, 'description', r.description, 'trace', r.trace, 'output', r.output,
          'reward', json_build_object('score', r.evaluation->'reward'->'score', 'judges', r.evaluation->'reward'->'judges',
                                      'rationale', r.evaluation->'reward'->'rationale', 'raw', r.evaluation->'reward'),
          'tool', ps.value->'tool', 'tool_params', coalesce(ps.value->'tool_params', '{}'::jsonb),
          'context', json_build_object('prior_results', (
              select coalesce(json_object_agg(b.step_id::text, json_build_object('output_text', b.output,
                       'artifacts', b.metadata->'artifacts', 'status', b.metadata->'status') order by b.step_id), '{}'::json)
              from step_results b where b.session_id = r.session_id and b.step_id < r.step_id)),
          'validation', r.evaluation->'validation', 'attempts', r.attempts, 'guidance', ${guidance},
          'artifacts', r.metadata->'artifacts', 'deliverable', r.metadata->'deliverable', 'runtime', r.metadata->'runtime',
          'reasoning', r.metadata->'reasoning', 'status', r.metadata->'status', 'result', r.metadata->'result',
          'structured_output', r.metadata->'structured_output', 'text', r.metadata->'text',
          'attempt_history', h.history, 'attempt_details', h.history, 'raw_evaluation', r.evaluation,
          'depends_on', ps.value->'depends_on',
          'metadata', json_build_object('reasoning', r.metadata->'reasoning', 'status', r.metadata->'status',
              'artifacts', r.metadata->'artifacts', 'deliverable', r.metadata->'deliverable', 'result', r.metadata->'result',
              'structured_output', r.metadata->'structured_output', 'text', r.metadata->'text', 'runtime', r.metadata->'runtime',
              'attempt_history', h.history, 'attempt_details', h.history, 'raw_evaluation', r.evaluation,
              'depends_on', ps.value->'depends_on'))
        order by r.step_id) as steps
      from step_results r
      left join lateral (select value from jsonb_array_elements(p.plan->'steps') where (value->>'id')::int = r.step_id limit 1) ps on true
      ${history("'attempt', a.attempt, 'evaluation', a.evaluation, 'status', a.status, 'outcome', a.outcome, 'output', a.output, 'trace', a.trace, 'timings_ms', a.timings_ms")}
      where r.session_id = s.id) st`;
  const compactSteps = `
    cross join lateral (
      select json_agg(json_build_object('step_id', r.step_id, 'description', r.description, 'trace', r.trace,
          'output', r.output, 'evaluation', r.evaluation, 'attempts', r.attempts, 'metadata', r.metadata,
          'attempt_history', h.history, 'guidance', ${guidance}) order by r.step_id) as steps
      from step_results r ${history("'attempt', a.attempt, 'evaluation', a.evaluation")}
      where r.session_id = s.id) st`;
  const metadata = `(coalesce(s.metadata, '{}'::jsonb) || jsonb_build_object('session_id', s.id, 'status', s.status,
      'created_at', s.created_at, 'completed_at', s.completed_at))`;
  const record =
    variant === "same-shape"
      ? `json_build_object('task', s.task, 'final_answer', coalesce(s.final_answer, ''), 'plan', p.plan,
           'steps', coalesce(st.steps, '[]'::json),
           'session_metadata', (left(${metadata}::text, -1) || ', "trajectory_events": ' || ev.events::text || '}')::json,
           'trajectory_events', ev.events)`
      : `json_build_object('task', s.task, 'final_answer', coalesce(s.final_answer, ''), 'plan', p.plan,
           'steps', coalesce(st.steps, '[]'::json), 'session_metadata', ${metadata}, 'trajectory_events', ev.events)`;
  // Sessions are picked (and ordered) first, then every lateral runs per session in that order: no sort of the
  // built records (gigabytes at 10k sessions) and no work for sessions past the limit.
  const query = `
    select ${record}
    from (select * from sessions order by created_at desc, id limit ${size}) s
    left join lateral (select plan from plans where plans.session_id = s.id) p on true
    ${events}
    ${variant === "same-shape" ? sameShapeSteps : compactSteps}`.replace(/\s+/g, " ");
  const measured = await withBackendCpu(url, `atlas_bench_${variant.replace("-", "_")}`, (tagged) =>
    timed("psql", [tagged, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", `\\copy (${query}) to '${output}'`], {}),
  );
  return { ...measured, ...(await fileStats(output)) };
}

/**
 * Runs `run` with a connection URL tagged by `application_name` and adds the CPU the PostgreSQL backends with that
 * name used (sampled from /proc every 20 ms; PostgreSQL runs on this machine).
 */
async function withBackendCpu(url: string, applicationName: string, run: (taggedUrl: string) => Promise<Timed>): Promise<Timed> {
  const tagged = new URL(url);
  tagged.searchParams.set("application_name", applicationName);
  const monitor = new pg.Client({ connectionString: url });
  await monitor.connect();
  const ticks = new Map<number, number>();
  let stopped = false;
  const sample = async () => {
    const { rows } = await monitor.query<{ pid: number }>("select pid from pg_stat_activity where application_name = $1", [applicationName]);
    for (const { pid } of rows) ticks.set(pid, Math.max(ticks.get(pid) ?? 0, readCpuTicks(pid)));
  };
  const loop = (async () => {
    while (!stopped) {
      await sample().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    const measured = await run(tagged.toString());
    const backendCpuSeconds = [...ticks.values()].reduce((sum, value) => sum + value, 0) / CLOCK_TICKS;
    return { ...measured, cpuSeconds: measured.cpuSeconds + backendCpuSeconds, backendCpuSeconds };
  } finally {
    stopped = true;
    await loop;
    await monitor.end();
  }
}

/** Linux USER_HZ: /proc times are in these ticks. */
const CLOCK_TICKS = 100;

function readCpuTicks(pid: number): number {
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Runs a command (under /usr/bin/time -v when present): wall time, its own CPU time and peak RSS. */
function timed(command: string, args: string[], env: Record<string, string>): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const [binary, argv] = timeBinary ? [timeBinary, ["-v", command, ...args]] : [command, args];
    const child = spawn(binary, argv, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let polledKb = 0;
    let polledTicks = 0;
    const poll = timeBinary
      ? null
      : setInterval(() => {
          polledKb = Math.max(polledKb, readHighWaterKb(child.pid));
          polledTicks = Math.max(polledTicks, child.pid ? readCpuTicks(child.pid) : 0);
        }, 20);
    child.on("error", reject);
    child.on("close", (code) => {
      if (poll) clearInterval(poll);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`${command} exited with ${code}:\n${stderr.slice(-2000)}`));
      const reported = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const kb = reported ? Number(reported[1]) : polledKb;
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      const cpuSeconds = user && system ? Number(user[1]) + Number(system[1]) : polledTicks / CLOCK_TICKS;
      resolve({ seconds, cpuSeconds, peakRssMb: kb > 0 ? kb / 1024 : null });
    });
  });
}

function readHighWaterKb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Size and line count, streamed (a 10k-session export is several GB), then the file is removed. */
async function fileStats(file: string): Promise<{ outputBytes: number; lines: number }> {
  const outputBytes = statSync(file).size;
  let lines = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines += 1;
  }
  rmSync(file, { force: true });
  return { outputBytes, lines };
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

function megabytes(value: number | null): string {
  return value === null ? "n/a" : `${value.toFixed(0)} MB`;
}

await main();
