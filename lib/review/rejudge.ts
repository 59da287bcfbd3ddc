/**
 * Re-judging without re-running: another rim config scores the stored attempts again (what the judges saw is
 * read back from the attempt rows and their `attempt.started` events). New judgements are a new version beside
 * the recorded ones (version 0), which are never overwritten. The job runs in this process; its progress is
 * in the `rejudges` row.
 */
import "server-only";
import type { RIMConfig } from "@/lib/config";
import { getConfig, parseOnServer } from "@/lib/configs/service";
import { finishRejudge, getRejudge, insertJudgement, insertRejudge, judgedAttempts, runningRejudges, type JudgedAttemptRow } from "@/lib/db/queries/judgements";
import { listSessionRows } from "@/lib/db/queries/session-views";
import { sessionExists } from "@/lib/db/queries/sessions";
import type { RejudgeRow } from "@/lib/db/schema";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError, errorMessage, formatIssue } from "@/lib/errors";
import { createLlmClient } from "@/lib/llm/client";
import type { LlmClient } from "@/lib/llm/types";
import { createRewardEvaluator } from "@/lib/reward/evaluator";
import { isJsonObject, PlanStepSchema } from "@/lib/trajectory";
import { currentProcess, processMayBeAlive } from "@/lib/server/process-identity";
import { toListFilter } from "@/lib/sessions/list";
import { MAX_REJUDGE_SESSIONS, type RejudgeRequest, type RejudgeStatus } from "./api-types";

export interface RejudgeOptions {
  /** Where the judges' API keys are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

const running = new Map<number, Promise<void>>();

export async function startRejudge(db: AtlasDb, request: RejudgeRequest, options: RejudgeOptions = {}): Promise<RejudgeStatus> {
  const config = await resolveJudgeConfig(db, request.config);
  const sessionIds = await selectedSessions(db, request);
  const attempts = await judgedAttempts(db, sessionIds);
  const job = await insertRejudge(db, { configName: config.name, configVersion: config.version, configYaml: config.yaml, sessionIds, total: attempts.length, owner: currentProcess() });
  const work = judgeAll(db, job.id, config.rim, attempts, options).finally(() => running.delete(job.id));
  running.set(job.id, work);
  return toStatus(job);
}

/** The listed sessions (every one must exist), or those the filter selects (at least one, at most the cap). */
async function selectedSessions(db: AtlasDb, request: RejudgeRequest): Promise<number[]> {
  if (request.filter) {
    const query = { ...request.filter, sort: "newest" as const, limit: MAX_REJUDGE_SESSIONS };
    const rows = await listSessionRows(db, { ...toListFilter(query), limit: MAX_REJUDGE_SESSIONS + 1 });
    if (rows.length === 0) throw new AtlasError("invalid_input", "filter: it selects no session", { issues: [{ path: "filter", message: "selects no session" }] });
    if (rows.length > MAX_REJUDGE_SESSIONS) {
      const message = `selects more than ${MAX_REJUDGE_SESSIONS} sessions; narrow it`;
      throw new AtlasError("invalid_input", `filter: it ${message}`, { issues: [{ path: "filter", message }] });
    }
    return rows.map((row) => row.id);
  }
  const sessionIds = [...new Set(request.sessionIds ?? [])];
  const missing: number[] = [];
  for (const id of sessionIds) if (!(await sessionExists(db, id))) missing.push(id);
  if (missing.length > 0) throw new AtlasError("not_found", `no session ${missing.join(", ")}`);
  return sessionIds;
}

export async function rejudgeStatus(db: AtlasDb, id: number): Promise<RejudgeStatus> {
  const job = await getRejudge(db, id);
  if (!job) throw new AtlasError("not_found", `re-judge ${id} does not exist`);
  return toStatus(job);
}

/**
 * Re-judges left `running` by a process that is gone (stopped or killed mid-job) are marked failed, saying so;
 * the judgements they stored stay. Jobs of a live process, or of another host (which cannot be checked), are left.
 */
export async function recoverAbandonedRejudges(db: AtlasDb): Promise<number[]> {
  const abandoned: number[] = [];
  for (const job of await runningRejudges(db)) {
    if (running.has(job.id)) continue;
    if (job.owner !== null && job.owner !== currentProcess() && processMayBeAlive(job.owner)) continue;
    const by = job.owner === null ? "its process" : `the process that ran it (${job.owner})`;
    await finishRejudge(db, job.id, { status: "failed", error: `interrupted: ${by} stopped before it finished; start the re-judge again` });
    abandoned.push(job.id);
  }
  return abandoned;
}

/** Resolves when the re-judge this process runs has finished (at once for an unknown or finished one). */
export function rejudgeSettled(id: number): Promise<void> {
  return running.get(id) ?? Promise.resolve();
}

/** Keeps what each judge or arbiter call sent and got back, so the new judgement's prompts and replies can be read. */
function capturing(client: LlmClient, keep: (call: Record<string, unknown>) => void): LlmClient {
  return {
    model: client.model,
    async complete(request) {
      const entry: Record<string, unknown> = { model: client.model, stage: request.stage, temperature: request.temperature ?? null, messages: request.messages };
      keep(entry);
      try {
        const reply = await client.complete(request);
        entry.reply = reply.content;
        return reply;
      } catch (error) {
        entry.error = errorMessage(error);
        throw error;
      }
    },
  };
}

async function judgeAll(db: AtlasDb, version: number, rim: RIMConfig, attempts: JudgedAttemptRow[], options: RejudgeOptions) {
  const env = options.env ?? process.env;
  let calls: Record<string, unknown>[] = [];
  const clients = {
    small: capturing(createLlmClient(rim.small_model, { env, label: "rim.small_model" }), (call) => calls.push(call)),
    large: capturing(createLlmClient(rim.large_model, { env, label: "rim.large_model" }), (call) => calls.push(call)),
  };
  const evaluator = createRewardEvaluator(rim, { env, emit: async () => undefined, clients });
  const signal = new AbortController().signal;
  try {
    for (const row of attempts) {
      calls = [];
      const step = PlanStepSchema.safeParse(row.planStep);
      const reward = await evaluator.evaluate(
        {
          task: row.task,
          step: step.success ? step.data : { id: row.stepId, description: "", tool: null, tool_params: null, depends_on: [] },
          trace: row.trace ?? "",
          output: row.output ?? "",
          attempt: row.attempt,
          priorResults: isJsonObject(row.context) ? row.context : {},
          guidance: Array.isArray(row.guidance) ? row.guidance.filter((item): item is string => typeof item === "string") : [],
        },
        { stepId: row.stepId, attempt: row.attempt, signal },
      );
      await insertJudgement(db, {
        version,
        sessionId: row.sessionId,
        stepId: row.stepId,
        attempt: row.attempt,
        score: reward.score,
        reward: reward as unknown as Record<string, unknown>,
        calls,
      });
    }
    await finishRejudge(db, version, { status: "succeeded" });
  } catch (error) {
    await finishRejudge(db, version, { status: "failed", error: errorMessage(error) }).catch(() => undefined);
  }
}

interface JudgeConfig {
  name: string | null;
  version: number | null;
  yaml: string;
  rim: RIMConfig;
}

async function resolveJudgeConfig(db: AtlasDb, ref: RejudgeRequest["config"]): Promise<JudgeConfig> {
  const { name, version, yaml } =
    "yaml" in ref
      ? { name: null, version: null, yaml: ref.yaml }
      : await getConfig(db, ref.name, ref.version === undefined ? {} : { version: ref.version });
  const parsed = parseOnServer(yaml);
  if (!parsed.ok) {
    throw new AtlasError("invalid_config", `invalid configuration:\n${parsed.issues.map((issue) => formatIssue(issue)).join("\n")}`, {
      issues: parsed.issues.map((issue) => ({ ...issue, path: `config.${issue.path}` })),
    });
  }
  return { name, version, yaml, rim: parsed.config.rim };
}

function toStatus(job: RejudgeRow): RejudgeStatus {
  return {
    rejudgeId: job.id,
    status: job.status as RejudgeStatus["status"],
    done: job.done,
    total: job.total,
    judgementVersion: job.id,
    configName: job.configName,
    configVersion: job.configVersion,
    error: job.error,
  };
}
