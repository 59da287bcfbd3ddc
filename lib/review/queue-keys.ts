/** What each key does in the review queue. Browser-safe; no DOM, so it is testable on its own. */

export type QueueAction =
  | { kind: "approve" }
  | { kind: "quarantine" }
  | { kind: "note" }
  | { kind: "next" }
  | { kind: "previous" }
  | { kind: "open-session" }
  | { kind: "open-step"; stepId: number }
  | { kind: "help" };

export const QUEUE_KEY_HELP: readonly [string, string][] = [
  ["a", "approve and go to the next"],
  ["q", "quarantine and go to the next"],
  ["n", "write a note (Enter keeps it for the next decision, Esc leaves the field)"],
  ["j / ↓", "next session"],
  ["k / ↑", "previous session"],
  ["1–9", "open that step of the session"],
  ["o", "open the session"],
  ["?", "show these keys"],
];

/** The action for a key press outside text fields; null for keys the queue does not use (or with modifiers). */
export function queueAction(event: { key: string; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean }): QueueAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case "a":
      return { kind: "approve" };
    case "q":
      return { kind: "quarantine" };
    case "n":
      return { kind: "note" };
    case "j":
    case "ArrowDown":
      return { kind: "next" };
    case "k":
    case "ArrowUp":
      return { kind: "previous" };
    case "o":
      return { kind: "open-session" };
    case "?":
      return { kind: "help" };
    default:
      return /^[1-9]$/.test(event.key) ? { kind: "open-step", stepId: Number(event.key) } : null;
  }
}

/** The position after a move, kept inside the list. */
export function movedIndex(index: number, length: number, delta: number): number {
  if (length === 0) return 0;
  return Math.min(length - 1, Math.max(0, index + delta));
}
