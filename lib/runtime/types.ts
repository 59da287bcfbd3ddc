import type { Plan, SessionStatus, StepResult } from "@/lib/trajectory";

/** What `runSession()` / `runTask()` return, camelCased at the top level for TypeScript callers. */
export interface RunResult {
  /** Null when the session was kept nowhere (`noSessionStore`). */
  sessionId: number | null;
  status: SessionStatus;
  finalAnswer: string;
  plan: Plan;
  stepResults: StepResult[];
  /** Why the session did not succeed (the failure rule's step list, the failing call, the stop reason). */
  error?: string | null;
}
