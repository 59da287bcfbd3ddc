import { describe, expect, it } from "vitest";
import { TrajectoryEventSchema, type EventInput, type TrajectoryEvent } from "@/lib/trajectory";
import { addExtraEvent, mergeExtras } from "./extras";
import type { ExtrasIndex } from "./types";

function event(seq: number, input: EventInput): TrajectoryEvent {
  return TrajectoryEventSchema.parse({ ...input, sessionId: 1, seq, ts: "2026-01-01T00:00:00.000Z" });
}

const where = { stepId: 2, attempt: 1 };
const call = event(3, { type: "tool.call", actor: "agent", ...where, tool: "search", callId: "c1", arguments: { q: "x" } });
const result = event(4, { type: "tool.result", actor: "agent", ...where, tool: "search", callId: "c1", output: "found", error: null, durationMs: 9 });

describe("addExtraEvent", () => {
  it("pairs a tool result with its call and ignores repeats", () => {
    let index: ExtrasIndex = {};
    index = addExtraEvent(index, call);
    index = addExtraEvent(index, result);
    const again = addExtraEvent(addExtraEvent(index, call), result);
    expect(again).toBe(index);
    expect(index["2:1"]?.tools).toEqual([
      { callId: "c1", tool: "search", arguments: { q: "x" }, seq: 3, result: { output: "found", error: null, durationMs: 9 } },
    ]);
  });

  it("fills in the arguments when the result was loaded before its call (history pages per type)", () => {
    const index = addExtraEvent(addExtraEvent({}, result), call);
    expect(index["2:1"]?.tools).toEqual([
      { callId: "c1", tool: "search", arguments: { q: "x" }, seq: 3, result: { output: "found", error: null, durationMs: 9 } },
    ]);
  });

  it("keeps discarded samples with their error, in seq order", () => {
    const failed = event(6, { type: "judge.sample", actor: "reward", ...where, judge: "process", temperature: 0.5, sample: null, error: "unparsable JSON" });
    const good = event(5, {
      type: "judge.sample",
      actor: "reward",
      ...where,
      judge: "process",
      temperature: 0.2,
      sample: { score: 0.8, rationale: "ok", principles: [], uncertainty: 0.1, temperature: 0.2 },
      error: null,
    });
    const index = addExtraEvent(addExtraEvent({}, failed), good);
    expect(index["2:1"]?.samples.process?.map((sample) => [sample.seq, sample.error])).toEqual([
      [5, null],
      [6, "unparsable JSON"],
    ]);
  });

  it("ignores events that are not per-attempt extras", () => {
    const index: ExtrasIndex = {};
    expect(addExtraEvent(index, event(1, { type: "synthesis", actor: "student", finalAnswer: "x" }))).toBe(index);
  });
});

describe("mergeExtras", () => {
  it("combines history and live records without duplicates", () => {
    const history = addExtraEvent({}, call)["2:1"];
    const live = addExtraEvent(addExtraEvent({}, call), result)["2:1"];
    const merged = mergeExtras(history, live);
    expect(merged.tools).toHaveLength(1);
    expect(merged.tools[0]?.result?.output).toBe("found");
    expect(mergeExtras(undefined, undefined)).toEqual({ tools: [], samples: {}, escalations: {}, arbiters: {} });
  });
});
