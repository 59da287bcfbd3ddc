/**
 * What the exporter reads (a session bundle: the stored rows of one session) and what it writes
 * (the upstream JSONL record, plus our additive `atlas` blocks).
 */
import type { JsonObject } from "@/lib/trajectory";

/**
 * Timestamps are ISO strings formatted by the database (microsecond precision, `+00:00`). JSON columns may come
 * parsed or as JSON text (the streaming exporter reads text and parses one session at a time, as upstream's
 * asyncpg did), so every reader decodes them.
 */
export interface SessionRowForExport {
  id: number;
  /** The session's identity across databases (sessions.uid): an import recognises its own exports by it. */
  uid: string;
  task: string;
  status: string;
  metadata: unknown;
  finalAnswer: string | null;
  error: string | null;
  executionMode: string | null;
  configName: string | null;
  configHash: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  rewardScore: number | null;
  judgeOutcomes: number;
  escalations: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costUsd: number;
  llmCalls: number;
  source: string;
  plan: unknown;
  originalPlan: unknown;
  review: unknown;
  /** Review status (pending when never reviewed) and the latest review note; read by the streaming exporter. */
  reviewStatus?: string;
  reviewNotes?: string | null;
  /** Set for the session of an experiment cell. */
  experimentCell?: ExperimentCellForExport | null;
}

export interface ExperimentCellForExport {
  experimentId: number;
  armId: number | null;
  taskIndex: number | null;
  repeat: number | null;
  retryOf: number | null;
  referenceScore: number | null;
  referenceRationale: string | null;
}

export interface AttemptRowForExport {
  attempt: number;
  evaluation: unknown;
  /** The evaluation equals the step's own (then `evaluation` need not be sent). */
  sameAsStep?: boolean;
  status: string | null;
  outcome: string | null;
  output: string | null;
  trace: string | null;
  timingsMs: unknown;
  rewardSkipped: boolean | null;
  rewardScore: number | null;
}

export interface GuidanceRowForExport {
  sequence: number;
  note: string;
  forAttempt: number | null;
}

export interface StepRowForExport {
  stepId: number;
  description: string;
  status: string;
  trace: string | null;
  output: string | null;
  evaluation: unknown;
  attempts: number | null;
  metadata: unknown;
  startedAt: string | null;
  completedAt: string | null;
  attemptRows: AttemptRowForExport[];
  guidance: GuidanceRowForExport[];
}

export interface EventRowForExport {
  id: number;
  /** The stored event: parsed, or its compact JSON text (`RawJson`) when read by the streaming exporter. */
  event: unknown;
  createdAt: string;
  /** With a `RawJson` event: the JSON text of its top-level `type` / `name` (null when absent). */
  typeJson?: string | null;
  nameJson?: string | null;
}

export interface SessionBundle {
  session: SessionRowForExport;
  /** In step id order. */
  steps: StepRowForExport[];
  /** The kept events, chronological. */
  events: EventRowForExport[];
  /** How many events the session has in total (more than `events.length` when the limit cut). */
  eventTotal: number;
  /** Where the session's review stands; exports from the database always carry it. */
  review?: ReviewForExport;
}

export interface ReviewForExport {
  status: string;
  /** The latest note of a review status change. */
  notes: string | null;
  labels: LabelForExport[];
}

/** A human label as the record carries it (snake_case like the record). */
export interface LabelForExport extends JsonObject {
  id: number;
  step_id: number | null;
  score: number | null;
  verdict: string | null;
  preferred_attempt: number | null;
  note: string | null;
  labeler: string;
  created_at: string;
}

export interface ExportedEvent extends JsonObject {
  id: number;
  event: unknown;
  created_at: string;
}

export interface ExportedReward {
  score: number;
  judges: JsonObject[];
  rationale: unknown;
  raw: JsonObject;
}

export interface ExportedStep extends JsonObject {
  step_id: number;
  description: string;
  trace: string;
  output: string;
  reward: ExportedReward;
  tool: unknown;
  tool_params: JsonObject;
  context: { prior_results: Record<string, JsonObject> };
  validation: JsonObject;
  attempts: number;
  guidance: string[];
  metadata: JsonObject;
}

export interface SessionRecord extends JsonObject {
  task: string;
  final_answer: string;
  plan: JsonObject;
  steps: ExportedStep[];
  session_metadata: JsonObject;
  trajectory_events?: ExportedEvent[];
}

/** How many sessions (and their recorded steps) an export with given filters would write. */
export interface SelectionCount {
  sessions: number;
  steps: number;
  /** The lines the chosen format writes: a line per session, per step, or per preference pair. */
  lines: number;
}

/** Version of our additive fields (`session_metadata.atlas`, step `metadata.atlas`, attempt extras). */
export const EXPORT_SCHEMA_VERSION = 1;
