import { z } from "zod";

export const SESSION_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"] as const;
export const SessionStatusSchema = z.enum(SESSION_STATUSES);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;
export const TERMINAL_STATUSES: readonly SessionStatus[] = ["succeeded", "failed", "cancelled", "interrupted"];

export function isTerminalStatus(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}
