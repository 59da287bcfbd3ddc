/**
 * Indexes the events that only the stream carries (tool calls, judge samples, escalations, arbiter
 * decisions) by attempt. Pure; idempotent per event seq.
 */
import type { TrajectoryEvent } from "@/lib/trajectory";
import { attemptKey, type AttemptExtras, type ExtrasIndex } from "./types";

export const EXTRA_EVENT_TYPES = ["tool.call", "tool.result", "judge.sample", "judge.escalated", "arbiter.decision"] as const;
export type ExtraEventType = (typeof EXTRA_EVENT_TYPES)[number];

export function isExtraEvent(event: TrajectoryEvent): event is Extract<TrajectoryEvent, { type: ExtraEventType }> {
  return (EXTRA_EVENT_TYPES as readonly string[]).includes(event.type);
}

export function emptyExtras(): AttemptExtras {
  return { tools: [], samples: {}, escalations: {}, arbiters: {} };
}

/** Returns the index with `event` recorded (the same object when the event adds nothing). */
export function addExtraEvent(index: ExtrasIndex, event: TrajectoryEvent): ExtrasIndex {
  if (!isExtraEvent(event) || event.stepId === undefined) return index;
  const key = attemptKey(event.stepId, event.attempt ?? 1);
  const current = index[key] ?? emptyExtras();
  const next = recordInto(current, event);
  return next === current ? index : { ...index, [key]: next };
}

function recordInto(extras: AttemptExtras, event: Extract<TrajectoryEvent, { type: ExtraEventType }>): AttemptExtras {
  switch (event.type) {
    case "tool.call": {
      const known = extras.tools.find((call) => call.callId === event.callId);
      // A call already known from its own event stays; one known only from its result gets its arguments.
      if (known && known.seq <= event.seq) return extras;
      const call = { callId: event.callId, tool: event.tool, arguments: event.arguments, seq: event.seq, result: known?.result ?? null };
      const tools = [...extras.tools.filter((other) => other !== known), call];
      tools.sort((a, b) => a.seq - b.seq);
      return { ...extras, tools };
    }
    case "tool.result": {
      const result = { output: event.output, error: event.error, durationMs: event.durationMs };
      const found = extras.tools.findIndex((call) => call.callId === event.callId);
      if (found < 0) {
        // A result whose call was not seen (filtered page): keep it, ordered by the result's seq.
        const orphan = { callId: event.callId, tool: event.tool, arguments: {}, seq: event.seq, result };
        return { ...extras, tools: [...extras.tools, orphan].sort((a, b) => a.seq - b.seq) };
      }
      const call = extras.tools[found];
      if (call?.result) return extras;
      const tools = extras.tools.slice();
      tools[found] = { ...(call as (typeof tools)[number]), result };
      return { ...extras, tools };
    }
    case "judge.sample": {
      const list = extras.samples[event.judge] ?? [];
      if (list.some((sample) => sample.seq === event.seq)) return extras;
      const record = { seq: event.seq, temperature: event.temperature, sample: event.sample, error: event.error };
      const samples = [...list, record].sort((a, b) => a.seq - b.seq);
      return { ...extras, samples: { ...extras.samples, [event.judge]: samples } };
    }
    case "judge.escalated": {
      if (extras.escalations[event.judge]) return extras;
      const { reason, spread, maxUncertainty, varianceThreshold, uncertaintyThreshold } = event;
      return {
        ...extras,
        escalations: {
          ...extras.escalations,
          [event.judge]: { reason, spread, maxUncertainty, varianceThreshold, uncertaintyThreshold },
        },
      };
    }
    case "arbiter.decision": {
      if (extras.arbiters[event.judge]) return extras;
      const { model, score, rationale, principles, failed } = event;
      return { ...extras, arbiters: { ...extras.arbiters, [event.judge]: { model, score, rationale, principles, failed } } };
    }
  }
}

/** Combines what was loaded from history with what arrived live (either may be missing). */
export function mergeExtras(a: AttemptExtras | undefined, b: AttemptExtras | undefined): AttemptExtras {
  if (!a) return b ?? emptyExtras();
  if (!b) return a;
  const tools = [...a.tools];
  for (const call of b.tools) {
    const at = tools.findIndex((known) => known.callId === call.callId);
    if (at < 0) tools.push(call);
    else if (!tools[at]?.result && call.result) tools[at] = { ...(tools[at] as typeof call), result: call.result };
  }
  tools.sort((x, y) => x.seq - y.seq);
  const samples: AttemptExtras["samples"] = { ...a.samples };
  for (const [judge, list] of Object.entries(b.samples)) {
    const seen = new Set((samples[judge] ?? []).map((sample) => sample.seq));
    samples[judge] = [...(samples[judge] ?? []), ...list.filter((sample) => !seen.has(sample.seq))].sort((x, y) => x.seq - y.seq);
  }
  return {
    tools,
    samples,
    escalations: { ...b.escalations, ...a.escalations },
    arbiters: { ...b.arbiters, ...a.arbiters },
  };
}
