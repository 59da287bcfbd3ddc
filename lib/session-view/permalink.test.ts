import { describe, expect, it } from "vitest";
import { openStateKey, parseOpenIds, parseTraceHash, traceElementId, traceHash } from "./permalink";

describe("session permalinks", () => {
  it("round-trips a step, an attempt and a call", () => {
    for (const target of [
      { stepId: 2, attempt: null, callId: null },
      { stepId: 2, attempt: 1, callId: null },
      { stepId: 2, attempt: 1, callId: 57 },
    ]) {
      expect(parseTraceHash(traceHash(target))).toEqual(target);
    }
    expect(traceHash({ stepId: 3, attempt: 2, callId: 9 })).toBe("#step-3/attempt-2/call-9");
    expect(traceElementId({ stepId: 3, attempt: null, callId: null })).toBe("step-3");
  });

  it("ignores fragments that name nothing", () => {
    for (const hash of ["", "#", "#events", "#step-x", "#step-2/call-4", "#step-2/attempt-1/call-"]) expect(parseTraceHash(hash)).toBeNull();
  });

  it("reads stored open state defensively, per session and part", () => {
    expect(parseOpenIds(null)).toEqual([]);
    expect(parseOpenIds("not json")).toEqual([]);
    expect(parseOpenIds('{"steps":[1]}')).toEqual([]);
    expect(parseOpenIds('[1,"2",3.5,-1,4]')).toEqual([1, 4]);
    expect(openStateKey(7, "calls")).not.toBe(openStateKey(7, "steps"));
    expect(openStateKey(7, "calls")).not.toBe(openStateKey(8, "calls"));
  });
});
