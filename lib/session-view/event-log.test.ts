import { describe, expect, it } from "vitest";
import { EVENT_TYPES, type TrajectoryEvent } from "@/lib/trajectory";
import {
  appendLiveEvent,
  eventLogQuery,
  lastLoadedSeq,
  nextPageCursor,
  NO_EVENT_FILTER,
  notLoadedCount,
  summarizeEvent,
  visibleEvents,
  type EventLogPage,
} from "./event-log";
import { buildSessionEvents } from "./testing/session-events";

const events = buildSessionEvents({ sessionId: 1, steps: 3, attempts: 2, judges: ["process"], toolCalls: 1 });
const at = (seq: number) => events[seq - 1] as TrajectoryEvent;

describe("event log pages", () => {
  it("pages by cursor and stops after a short page", () => {
    const full: EventLogPage = { events: events.slice(0, 10), after: 0, full: true, coveredTo: 10 };
    expect(nextPageCursor([full])).toBe(10);
    const short: EventLogPage = { events: events.slice(10, 12), after: 10, full: false, coveredTo: 12 };
    expect(nextPageCursor([full, short])).toBeUndefined();
    expect(lastLoadedSeq([full, { events: [], after: 10, full: false, coveredTo: 10 }])).toBe(10);
  });

  it("appends live events only once caught up, in order, without duplicates", () => {
    const behind: EventLogPage[] = [{ events: events.slice(0, 10), after: 0, full: true, coveredTo: 10 }];
    expect(appendLiveEvent(behind, at(11), NO_EVENT_FILTER)).toEqual({ pages: behind, gap: false });
    const caughtUp: EventLogPage[] = [{ events: events.slice(0, 10), after: 0, full: false, coveredTo: 10 }];
    const once = appendLiveEvent(caughtUp, at(11), NO_EVENT_FILTER).pages;
    expect(once.at(-1)?.events.at(-1)?.seq).toBe(11);
    expect(appendLiveEvent(once, at(11), NO_EVENT_FILTER).pages).toBe(once);
    expect(appendLiveEvent(once, at(5), NO_EVENT_FILTER).pages).toBe(once);
  });

  it("reports a gap when a live event skips seqs the page never covered", () => {
    const pages: EventLogPage[] = [{ events: events.slice(0, 10), after: 0, full: false, coveredTo: 10 }];
    expect(appendLiveEvent(pages, at(13), NO_EVENT_FILTER)).toEqual({ pages, gap: true });
  });

  it("applies the filter to live events and to loaded ones", () => {
    const pages: EventLogPage[] = [{ events: events.slice(0, 20), after: 0, full: false, coveredTo: 20 }];
    const filter = { types: [], actor: "teacher" as const, stepId: null };
    const teacherOnly = visibleEvents(pages, filter);
    expect(teacherOnly.length).toBeGreaterThan(0);
    expect(teacherOnly.every((event) => event.actor === "teacher")).toBe(true);
    // A non-matching event still advances what the page has covered, so the next one is not a gap.
    const skipped = appendLiveEvent(pages, at(21), { ...filter, actor: at(21).actor === "teacher" ? "student" : "teacher" }).pages;
    expect(skipped.at(-1)?.events).toHaveLength(20);
    expect(skipped.at(-1)?.coveredTo).toBe(21);
    const byStep = visibleEvents([{ events, after: 0, full: false, coveredTo: events.length }], { ...NO_EVENT_FILTER, stepId: 2 });
    expect(byStep.length).toBeGreaterThan(0);
    expect(byStep.every((event) => event.stepId === 2)).toBe(true);
  });

  it("counts what is not loaded and builds the query with repeated types", () => {
    expect(notLoadedCount([{ events: events.slice(0, 10), after: 0, full: true, coveredTo: 10 }], 250)).toBe(240);
    expect(eventLogQuery({ types: ["judge.sample", "reward"], actor: null, stepId: null }, 40, 200)).toBe(
      "after=40&limit=200&type=judge.sample&type=reward",
    );
  });
});

describe("summarizeEvent", () => {
  it("summarises every event type of a session on one line", () => {
    const seen = new Set<string>();
    for (const event of events) {
      const summary = summarizeEvent(event);
      expect(summary).not.toContain("\n");
      expect(summary.length).toBeLessThanOrEqual(200);
      seen.add(event.type);
    }
    expect(seen.size).toBeGreaterThan(EVENT_TYPES.length / 2);
    expect(summarizeEvent(at(3))).toBe("stepwise, 3 steps");
  });
});
