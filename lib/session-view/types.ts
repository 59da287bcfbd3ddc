/**
 * The session page's client-side model: the session state (the server snapshot, kept current by the
 * trajectory projection) plus what only the event stream carries (tool calls, discarded judge
 * samples, escalation measurements, arbiter model, scheduling, errors). Browser-safe.
 */
import type { AttemptDetail, JudgeSample, Principle, SessionDetail, StepDetail } from "@/lib/trajectory";

export type { AttemptDetail, SessionDetail, StepDetail };

/** `"<stepId>:<attempt>"`: the key of everything recorded per attempt. */
export type AttemptKey = `${number}:${number}`;

export function attemptKey(stepId: number, attempt: number): AttemptKey {
  return `${stepId}:${attempt}`;
}

export interface ToolCallView {
  callId: string;
  tool: string;
  arguments: Record<string, unknown>;
  /** Seq of the `tool.call` event (orders the calls). */
  seq: number;
  result: { output: string; error: string | null; durationMs: number } | null;
}

export interface SampleRecord {
  seq: number;
  temperature: number;
  /** null when the sample was discarded. */
  sample: JudgeSample | null;
  error: string | null;
}

export interface EscalationRecord {
  reason: string;
  spread: number | null;
  maxUncertainty: number | null;
  varianceThreshold: number;
  uncertaintyThreshold: number;
}

export interface ArbiterRecord {
  model: string;
  score: number;
  rationale: string;
  principles: Principle[];
  failed: boolean;
}

/** Per-attempt facts that exist only as events. */
export interface AttemptExtras {
  tools: ToolCallView[];
  samples: Record<string, SampleRecord[]>;
  escalations: Record<string, EscalationRecord>;
  arbiters: Record<string, ArbiterRecord>;
}

export type ExtrasIndex = Record<AttemptKey, AttemptExtras>;

export interface LiveState {
  /** Extras of events received live (the history of older ones is loaded on demand). */
  extras: ExtrasIndex;
  /** Plan levels and dependencies as the engine scheduled them (from `step.started`). */
  scheduled: Record<number, { level: number; dependsOn: number[] }>;
  errors: { seq: number; message: string; where: string }[];
}

export type SessionView = SessionDetail & { live: LiveState };

export function emptyLiveState(): LiveState {
  return { extras: {}, scheduled: {}, errors: [] };
}

export function toSessionView(detail: SessionDetail): SessionView {
  return { ...detail, live: emptyLiveState() };
}
