/** Review status, its history, human labels and re-judgements, beside the recorded sessions. Generate migrations with `npm run db:generate`. */
import { boolean, index, integer, jsonb, pgTable, primaryKey, real, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, sessions } from "./core";

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
  /** The process running it ("<host> <pid>"): a running job whose process is gone is marked failed at start-up. */
  owner: text("owner"),
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
