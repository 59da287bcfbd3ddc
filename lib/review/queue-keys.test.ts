import { describe, expect, it } from "vitest";
import { movedIndex, queueAction } from "./queue-keys";

describe("review queue keys", () => {
  it.each([
    ["a", { kind: "approve" }],
    ["q", { kind: "quarantine" }],
    ["n", { kind: "note" }],
    ["j", { kind: "next" }],
    ["ArrowDown", { kind: "next" }],
    ["k", { kind: "previous" }],
    ["ArrowUp", { kind: "previous" }],
    ["o", { kind: "open-session" }],
    ["3", { kind: "open-step", stepId: 3 }],
    ["?", { kind: "help" }],
  ])("%s", (key, action) => {
    expect(queueAction({ key })).toEqual(action);
  });

  it("ignores other keys and keys with modifiers (browser shortcuts stay the browser's)", () => {
    expect(queueAction({ key: "x" })).toBeNull();
    expect(queueAction({ key: "0" })).toBeNull();
    expect(queueAction({ key: "a", ctrlKey: true })).toBeNull();
    expect(queueAction({ key: "q", metaKey: true })).toBeNull();
  });

  it("moves stay inside the list", () => {
    expect(movedIndex(0, 3, -1)).toBe(0);
    expect(movedIndex(1, 3, 1)).toBe(2);
    expect(movedIndex(2, 3, 1)).toBe(2);
    expect(movedIndex(5, 0, 1)).toBe(0);
  });
});
