/**
 * Everything upstream stores plus what the dashboard needs.
 * Generate migrations with `npm run db:generate`; never edit `drizzle/` by hand.
 */
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const configs = pgTable("configs", {
  name: text("name").primaryKey(),
  description: text("description").notNull().default(""),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Immutable: a new edit is a new row; sessions point at the exact version they ran with. */
export const configVersions = pgTable(
  "config_versions",
  {
    id: serial("id").primaryKey(),
    configName: text("config_name")
      .notNull()
      .references(() => configs.name, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    contentHash: text("content_hash").notNull(),
    yaml: text("yaml").notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("config_versions_name_version_idx").on(table.configName, table.version),
    // Not unique: restoring an older text appends it again as the newest version.
    index("config_versions_name_hash_idx").on(table.configName, table.contentHash),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    id: serial("id").primaryKey(),
    uid: uuid("uid").notNull().defaultRandom().unique(),
    task: text("task").notNull(),
    status: text("status").notNull().default("running"),
    /** The user's session metadata (upstream `session_metadata`). */
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    finalAnswer: text("final_answer"),
    error: text("error"),
    executionMode: text("execution_mode"),
    configName: text("config_name"),
    configVersionId: integer("config_version_id").references(() => configVersions.id, { onDelete: "set null" }),
    configHash: text("config_hash"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    durationMs: integer("duration_ms"),
    stepCount: integer("step_count").notNull().default(0),
    attemptCount: integer("attempt_count").notNull().default(0),
    /** Mean of the final reward of every rewarded step; null until one is rewarded. */
    rewardScore: real("reward_score"),
    judgeOutcomes: integer("judge_outcomes").notNull().default(0),
    escalations: integer("escalations").notNull().default(0),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    reasoningTokens: integer("reasoning_tokens").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    llmCalls: integer("llm_calls").notNull().default(0),
    lastSeq: integer("last_seq").notNull().default(0),
    /** "<host> <pid>" of the process running the session: start-up recovery leaves live owners alone. */
    owner: text("owner"),
    /** `run` for sessions this install executed, `import` for JSONL imports. */
    source: text("source").notNull().default("run"),
    /** Content key of an imported record, so importing the same file twice creates nothing new. */
    importKey: text("import_key").unique(),
    /** Experiment cell this session runs (experiment, arm, task index in the task set, repeat): null for single runs. */
    experimentId: integer("experiment_id"),
    experimentArmId: integer("experiment_arm_id"),
    taskIndex: integer("task_index"),
    repeatIndex: integer("repeat_index"),
    /** The session this one retries (its worker died); the retry carries the same experiment cell. */
    retryOf: integer("retry_of").references((): AnyPgColumn => sessions.id, { onDelete: "set null" }),
  },
  (table) => [
    index("sessions_created_idx").on(table.createdAt.desc(), table.id.desc()),
    index("sessions_status_created_idx").on(table.status, table.createdAt.desc(), table.id.desc()),
    index("sessions_config_created_idx").on(table.configName, table.createdAt.desc(), table.id.desc()),
    index("sessions_reward_idx").on(table.rewardScore).where(sql`${table.rewardScore} is not null`),
    index("sessions_experiment_idx").on(table.experimentId, table.experimentArmId, table.taskIndex),
  ],
);

export const plans = pgTable("plans", {
  sessionId: integer("session_id")
    .primaryKey()
    .references(() => sessions.id, { onDelete: "cascade" }),
  plan: jsonb("plan").notNull(),
  originalPlan: jsonb("original_plan"),
  review: jsonb("review").$type<{ mode: string; concerns: string | null; changes: string[] }>(),
});

export const stepResults = pgTable(
  "step_results",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    stepId: integer("step_id").notNull(),
    description: text("description").notNull().default(""),
    status: text("status").notNull().default("running"),
    trace: text("trace"),
    output: text("output"),
    evaluation: jsonb("evaluation"),
    attempts: integer("attempts"),
    metadata: jsonb("metadata"),
    rewardScore: real("reward_score"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.stepId] })],
);

export const stepAttempts = pgTable(
  "step_attempts",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    stepId: integer("step_id").notNull(),
    attempt: integer("attempt").notNull(),
    evaluation: jsonb("evaluation"),
    status: text("status"),
    outcome: text("outcome"),
    output: text("output"),
    trace: text("trace"),
    timingsMs: jsonb("timings_ms"),
    rewardSkipped: boolean("reward_skipped"),
    rewardScore: real("reward_score"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.stepId, table.attempt] })],
);

export const guidanceNotes = pgTable(
  "guidance_notes",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    stepId: integer("step_id").notNull(),
    sequence: integer("sequence").notNull(),
    note: text("note").notNull(),
    /** The attempt that received this guidance. */
    forAttempt: integer("for_attempt"),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.stepId, table.sequence] })],
);

export const trajectoryEvents = pgTable(
  "trajectory_events",
  {
    id: serial("id").primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    type: text("type").notNull(),
    event: jsonb("event").notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("trajectory_events_session_seq_idx").on(table.sessionId, table.seq)],
);

export type SessionRow = typeof sessions.$inferSelect;
export type NewSessionRow = typeof sessions.$inferInsert;
export type PlanRow = typeof plans.$inferSelect;
export type StepResultRow = typeof stepResults.$inferSelect;
export type StepAttemptRow = typeof stepAttempts.$inferSelect;
export type GuidanceNoteRow = typeof guidanceNotes.$inferSelect;
export type TrajectoryEventRow = typeof trajectoryEvents.$inferSelect;
export type ConfigRow = typeof configs.$inferSelect;
export type ConfigVersionRow = typeof configVersions.$inferSelect;

// ── Review (issue 13): review status with its history, human labels ────────────────────────────────
// Review and label writes never touch the recorded events or the tables projected from them.

/** A session without a row is `pending` and not gated. */
export const sessionReviews = pgTable(
  "session_reviews",
  {
    sessionId: integer("session_id")
      .primaryKey()
      .references(() => sessions.id, { onDelete: "cascade" }),
    status: text("status").notNull().default("pending"),
    /** Review statuses a default export includes (the session's `runtime_safety.review`); null: not gated. */
    exportStatuses: jsonb("export_statuses").$type<string[]>(),
    /** The drift check of the session's reward against the recent sessions of its config. */
    drift: jsonb("drift").$type<Record<string, unknown>>(),
    driftFlagged: boolean("drift_flagged").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("session_reviews_status_idx").on(table.status)],
);

/** Every review status change: who, when, why. Append-only. */
export const reviewHistory = pgTable(
  "review_history",
  {
    id: serial("id").primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    status: text("status").notNull(),
    previousStatus: text("previous_status").notNull(),
    reviewer: text("reviewer").notNull(),
    note: text("note"),
    createdAt: createdAt(),
  },
  (table) => [index("review_history_session_idx").on(table.sessionId, table.id)],
);

/** A human's label on a session (step_id null) or one step. Append-only: the newest label of a target counts. */
export const humanLabels = pgTable(
  "human_labels",
  {
    id: serial("id").primaryKey(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    stepId: integer("step_id"),
    score: real("score"),
    verdict: text("verdict"),
    preferredAttempt: integer("preferred_attempt"),
    note: text("note"),
    labeler: text("labeler").notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("human_labels_session_idx").on(table.sessionId, table.stepId, table.id)],
);

/** A re-judge job: another rim config applied to stored attempts. Its id is the judgement version it writes. */
export const rejudges = pgTable("rejudges", {
  id: serial("id").primaryKey(),
  status: text("status").notNull().default("running"),
  total: integer("total").notNull().default(0),
  done: integer("done").notNull().default(0),
  configName: text("config_name"),
  configVersion: integer("config_version"),
  configYaml: text("config_yaml").notNull(),
  sessionIds: jsonb("session_ids").$type<number[]>().notNull(),
  error: text("error"),
  createdAt: createdAt(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});

/** Judgements written by a re-judge, beside the recorded ones (version 0), which are never overwritten. */
export const judgements = pgTable(
  "judgements",
  {
    id: serial("id").primaryKey(),
    version: integer("version")
      .notNull()
      .references(() => rejudges.id, { onDelete: "cascade" }),
    sessionId: integer("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    stepId: integer("step_id").notNull(),
    attempt: integer("attempt").notNull(),
    score: real("score"),
    reward: jsonb("reward").$type<Record<string, unknown>>().notNull(),
    /** The judge and arbiter calls of this judgement: model, stage, temperature, messages sent, reply. */
    calls: jsonb("calls").$type<Record<string, unknown>[]>(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("judgements_version_attempt_idx").on(table.sessionId, table.version, table.stepId, table.attempt)],
);

export type RejudgeRow = typeof rejudges.$inferSelect;
export type JudgementRow = typeof judgements.$inferSelect;
export type SessionReviewRow = typeof sessionReviews.$inferSelect;
export type ReviewHistoryRow = typeof reviewHistory.$inferSelect;
export type HumanLabelRow = typeof humanLabels.$inferSelect;

// ── Experiments: task sets, experiments and their arms ───────────────────────────────────────────

/** A named, immutable list of tasks: rows are written once, with their items, in one transaction. */
export const taskSets = pgTable("task_sets", {
  id: serial("id").primaryKey(),
  name: text("name").notNull().unique(),
  taskCount: integer("task_count").notNull(),
  createdAt: createdAt(),
});

export const taskSetItems = pgTable(
  "task_set_items",
  {
    taskSetId: integer("task_set_id")
      .notNull()
      .references(() => taskSets.id, { onDelete: "cascade" }),
    /** 0-based position in the set; sessions of an experiment cell carry it as `task_index`. */
    taskIndex: integer("task_index").notNull(),
    task: text("task").notNull(),
    expectedAnswer: text("expected_answer"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
  },
  (table) => [primaryKey({ columns: [table.taskSetId, table.taskIndex] })],
);

export const experiments = pgTable("experiments", {
  id: serial("id").primaryKey(),
  name: text("name"),
  taskSetId: integer("task_set_id")
    .notNull()
    .references(() => taskSets.id),
  /** `running` until every cell is terminal (`completed`) or it is cancelled (`cancelled`). */
  status: text("status").notNull().default("running"),
  repeats: integer("repeats").notNull().default(1),
  maxCostUsd: doublePrecision("max_cost_usd"),
  /** Why scheduling stopped early (the cost cap), shown on the progress page. */
  stopReason: text("stop_reason"),
  /** How final answers are scored against expected answers (`{type: "exact"}` when null). */
  scorer: jsonb("scorer").$type<Record<string, unknown>>(),
  createdAt: createdAt(),
  completedAt: timestamp("completed_at", { withTimezone: true }),
});

/** One config version run over the experiment's task set. */
export const experimentArms = pgTable(
  "experiment_arms",
  {
    id: serial("id").primaryKey(),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    configName: text("config_name").notNull(),
    configVersion: integer("config_version").notNull(),
    configVersionId: integer("config_version_id").references(() => configVersions.id, { onDelete: "set null" }),
    configHash: text("config_hash").notNull(),
  },
  (table) => [uniqueIndex("experiment_arms_position_idx").on(table.experimentId, table.position)],
);

/** A session's final answer scored against its task's expected answer, beside its RIM reward. */
export const referenceScores = pgTable("reference_scores", {
  sessionId: integer("session_id")
    .primaryKey()
    .references(() => sessions.id, { onDelete: "cascade" }),
  /** In [0, 1]; null when the scorer could not score (its rationale says why). */
  score: real("score"),
  rationale: text("rationale").notNull(),
  scorer: text("scorer").notNull(),
  createdAt: createdAt(),
});

export type TaskSetRow = typeof taskSets.$inferSelect;
export type TaskSetItemRow = typeof taskSetItems.$inferSelect;
export type ExperimentRow = typeof experiments.$inferSelect;
export type ExperimentArmRow = typeof experimentArms.$inferSelect;
