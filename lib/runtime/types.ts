import type { Plan, SessionStatus, StepResult } from "@/lib/trajectory";

/** What `run()` returns, camelCased at the top level for TypeScript callers. */
export interface RunResult {
  sessionId: number | null;
  status: SessionStatus;
  finalAnswer: string;
  plan: Plan;
  stepResults: StepResult[];
  /** Why the session did not succeed (the failure rule's step list, the failing call, the cancel reason). */
  error?: string | null;
}
