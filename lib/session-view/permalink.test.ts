import { describe, expect, it } from "vitest";
import { parseOpenState, parseTraceHash, traceElementId, traceHash } from "./permalink";

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

  it("reads stored open state defensively", () => {
    expect(parseOpenState(null)).toEqual({ steps: [], calls: [] });
    expect(parseOpenState("not json")).toEqual({ steps: [], calls: [] });
    expect(parseOpenState('{"steps":[1,"2",3.5,4],"calls":[7]}')).toEqual({ steps: [1, 4], calls: [7] });
  });
});
