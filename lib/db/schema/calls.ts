/** Captured model and agent calls. Generate migrations with `npm run db:generate`. */
import { doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { sessions } from "./core";

// ── Call capture (trace): one row per model or agent call, written with the llm.call / agent.call
// event that reports it (same seq). `capture` holds the request and reply when capture is on.
export const calls = pgTable(
  "calls",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    kind: text("kind").notNull(),
    actor: text("actor").notNull(),
    /** Model calls: the stage (validation, judge:process, arbiter:process…); agent calls: the mode. */
    stage: text("stage").notNull(),
    model: text("model"),
    stepId: integer("step_id"),
    attempt: integer("attempt"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }).notNull(),
    latencyMs: doublePrecision("latency_ms").notNull(),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    reasoningTokens: integer("reasoning_tokens").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    tries: integer("tries").notNull().default(1),
    error: text("error"),
    capture: jsonb("capture"),
  },
  (table) => [
    primaryKey({ columns: [table.sessionId, table.seq] }),
    index("calls_session_step_idx").on(table.sessionId, table.stepId, table.attempt),
    // The overview's usage by role reads the last 30 days of calls.
    index("calls_finished_idx").on(table.finishedAt),
  ],
);
export type CallRow = typeof calls.$inferSelect;
