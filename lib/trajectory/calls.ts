/**
 * What a captured call holds: the request as sent and the reply as received, for model calls
 * (`llm.call`) and agent calls (`agent.call`). A capture travels inside its event only on the way to
 * the store, which keeps it in its own table; live viewers and the event log get the event without it,
 * and the browser fetches a capture when someone opens the call.
 */
import { z } from "zod";

/** Largest capture kept per call, as JSON in UTF-8; longer texts are cut and the capture says so. */
export const CALL_CAPTURE_LIMIT_BYTES = 64 * 1024;

const JsonObject = z.record(z.string(), z.unknown());

export const CallCaptureSchema = z.object({
  /** Model calls: `messages`, `tools`, `parameters`. Agent calls: `prompt`, `metadata`. */
  request: JsonObject,
  /** Model calls: `content`, `tool_calls`, `reasoning`, `finish_reason`. Agent calls: `text`, `tool_calls`. null when no reply came. */
  reply: JsonObject.nullable(),
  /** True when texts were cut to fit `limitBytes`. */
  truncated: z.boolean(),
  /** Size of the capture before any cut, in bytes of JSON. */
  originalBytes: z.number().int().nonnegative(),
  limitBytes: z.number().int().positive(),
});
export type CallCapture = z.infer<typeof CallCaptureSchema>;

export const AGENT_CALL_MODES = ["planning", "execution", "tool", "synthesis"] as const;
export const AgentCallModeSchema = z.enum(AGENT_CALL_MODES);
export type AgentCallMode = z.infer<typeof AgentCallModeSchema>;

/** Who made a model call, for the breakdown of tokens and cost. */
export const CALL_ROLES = ["student", "teacher", "judges", "arbiter", "other"] as const;
export type CallRole = (typeof CALL_ROLES)[number];

export function callRoleOf(call: { actor: string; stage: string }): CallRole {
  if (call.actor === "student" || call.actor === "agent") return "student";
  if (call.actor === "teacher") return "teacher";
  if (call.stage.startsWith("arbiter:")) return "arbiter";
  if (call.actor === "reward") return "judges";
  return "other";
}
