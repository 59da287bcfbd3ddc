import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEvents } from "./apply-event";
import { keepLiveState, sessionQuery } from "./queries";
import { buildSessionEvents, emptySessionDetail } from "./testing/session-events";
import { toSessionView, type SessionView } from "./types";

const events = buildSessionEvents({ sessionId: 4, steps: 2, attempts: 1, judges: ["process"], toolCalls: 1 });
let server: Server;
let snapshotBody = "";
const realFetch = globalThis.fetch;

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(snapshotBody);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // The query fetches a relative URL as a browser would; resolve it against the test server.
  globalThis.fetch = ((input: string, init?: RequestInit) => realFetch(new URL(input, `http://127.0.0.1:${port}`), init)) as typeof fetch;
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function fetchSnapshot(detail: object): Promise<SessionView> {
  snapshotBody = JSON.stringify(detail);
  const queryFn = sessionQuery(4).queryFn as () => Promise<SessionView>;
  return queryFn();
}

describe("keepLiveState", () => {
  it("takes what the live reducer wrote as is, extras included", () => {
    const before = toSessionView(emptySessionDetail(4));
    const after = applyEvents(before, events);
    expect(keepLiveState(before, after)).toBe(after);
    expect(Object.keys(after.live.extras)).not.toHaveLength(0);
  });

  it("keeps the live-only extras when a refetched snapshot replaces the view, and never steps back", async () => {
    const live = applyEvents(toSessionView(emptySessionDetail(4)), events);
    const { live: _live, ...finalDetail } = live;
    const refetched = await fetchSnapshot(finalDetail);
    const merged = keepLiveState(live, refetched);
    expect(merged.live).toBe(live.live);
    expect(merged.session).toEqual(refetched.session);
    const stale = await fetchSnapshot({ ...finalDetail, session: { ...finalDetail.session, lastSeq: 3 } });
    expect(keepLiveState(live, stale)).toBe(live);
  });
});
