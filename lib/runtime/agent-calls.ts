/**
 * Every call of the user's agent becomes an `agent.call` event: its mode, step and attempt, how long it
 * took, its error, and (when capture is on) the prompt and metadata sent and the reply received.
 */
import type { AgentAdapter, AgentCall, AgentReply } from "@/lib/adapters/types";
import { errorMessage } from "@/lib/errors";
import type { AgentCallMode, EventInput } from "@/lib/trajectory";
import type { CallCapturer } from "./call-capture";

export interface AgentCallWhere {
  stepId?: number;
  attempt?: number;
}

export async function invokeRecorded(
  agent: { adapter: AgentAdapter; emit: (event: EventInput) => Promise<unknown>; capture?: CallCapturer },
  mode: AgentCallMode,
  where: AgentCallWhere,
  call: AgentCall,
): Promise<AgentReply> {
  const started = performance.now();
  const record = async (reply: AgentReply | null, error: string | null) => {
    const request = { prompt: call.prompt, metadata: call.metadata, ...(call.limits ? { limits: call.limits } : {}) };
    const captured = agent.capture?.(request, reply === null ? null : { text: reply.text, tool_calls: reply.toolCalls ?? [] });
    await agent.emit({
      type: "agent.call",
      actor: "agent",
      ...where,
      mode,
      latencyMs: Math.max(0, Math.round(performance.now() - started)),
      error,
      ...(captured ? { capture: captured } : {}),
    });
  };
  let reply: AgentReply;
  try {
    reply = await agent.adapter.invoke(call);
  } catch (error) {
    await record(null, errorMessage(error)).catch(() => undefined);
    throw error;
  }
  await record(reply, null);
  return reply;
}
