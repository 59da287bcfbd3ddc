/** Calls an adapter the way the engine does, with a planning call and a live signal unless told otherwise. */
import type { AgentAdapter, AgentCallMetadata } from "./types";

export function invokeAdapter(
  adapter: AgentAdapter,
  prompt = "hi",
  options: { metadata?: AgentCallMetadata; signal?: AbortSignal } = {},
) {
  return adapter.invoke({
    prompt,
    metadata: options.metadata ?? { mode: "planning" },
    signal: options.signal ?? new AbortController().signal,
  });
}
