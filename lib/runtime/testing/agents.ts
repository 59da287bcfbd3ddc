/**
 * In-process agents for tests: a real AgentAdapter whose answers come from a function, with every call
 * recorded (an agent is the code under test's collaborator, not an LLM).
 */
import type { AgentAdapter, AgentCall, AgentCallMetadata, AgentReply, StepMetadata } from "@/lib/adapters/types";
import { AtlasError } from "@/lib/errors";

export type AgentHandler = (call: AgentCall) => string | AgentReply | Promise<string | AgentReply>;

export interface RecordingAgent extends AgentAdapter {
  calls: AgentCall[];
  closed: number;
}

export function functionAgent(handler: AgentHandler): RecordingAgent {
  const agent: RecordingAgent = {
    type: "test",
    calls: [],
    closed: 0,
    async invoke(call) {
      if (call.signal.aborted) throw new AtlasError("cancelled", "test agent call was cancelled");
      agent.calls.push(call);
      const reply = await handler(call);
      return typeof reply === "string" ? { text: reply } : reply;
    },
    async close() {
      agent.closed += 1;
    },
  };
  return agent;
}

export function isStepCall(metadata: AgentCallMetadata): metadata is StepMetadata {
  return "mode" in metadata && metadata.mode === "execution";
}

export function modeOf(metadata: AgentCallMetadata): string {
  return "mode" in metadata ? metadata.mode : "tool";
}

/** Waits `ms`, or rejects as soon as the call is cancelled. */
export function waitOrCancel(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new AtlasError("cancelled", "test agent call was cancelled"));
      },
      { once: true },
    );
  });
}
