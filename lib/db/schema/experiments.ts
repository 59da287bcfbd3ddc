/** Task sets, experiments, their arms and the reference scores of their cells. Generate migrations with `npm run db:generate`. */
import { doublePrecision, integer, jsonb, pgTable, primaryKey, real, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { configVersions, createdAt, sessions } from "./core";

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
