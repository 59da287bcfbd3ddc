/**
 * The tables of a recorded session (everything upstream stores plus what the dashboard needs) and of
 * saved configs. Generate migrations with `npm run db:generate`; never edit `drizzle/` by hand.
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

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

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
