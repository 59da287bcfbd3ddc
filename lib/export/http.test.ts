import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { handle } from "@/lib/http/respond";
import { exportFilters } from "./filters";
import { exportCount, exportDownload, importUpload, sessionDownload } from "./http";
import { exportLines } from "./stream";
import { seedSet, type SeededSession } from "./testing/seed-set";

const drivers = (await availableDrivers()).filter((entry) => entry.driver !== "neon");
for (const { driver, skip } of drivers) if (skip) console.warn(`export HTTP tests on ${driver} skipped: ${skip}`);

/** A body that arrives in small pieces, splitting lines and multi-byte characters. */
function trickle(text: string, size = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

describe.each(drivers)("export HTTP handlers on $driver", ({ driver, skip }) => {
  let database: TestDatabase;
  let seeded: Map<string, SeededSession>;
  const url = (query = "") => `http://atlas.test/api/export${query}`;
  const download = handle(async (request: Request) => exportDownload(database.db, request));
  const count = handle(async (request: Request) => Response.json(await exportCount(database.db, request)));
  const one = handle(async (request: Request, context: { id: number }) => sessionDownload(database.db, request, context.id));

  beforeAll(async () => {
    if (skip) return;
    database = await createTestDatabase(driver);
    seeded = await seedSet(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  async function expected(input: Record<string, unknown>) {
    let text = "";
    for await (const line of exportLines(database.db, exportFilters(input))) text += line;
    return text;
  }

  it.skipIf(skip)("streams the filtered export as an NDJSON attachment", async () => {
    const response = await download(new Request(url("?status=succeeded&status=failed&format=steps&batch_size=2")), undefined);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="atlas-export-${new Date().toISOString().slice(0, 10)}.jsonl"`,
    );
    const body = await response.text();
    expect(body).toBe(await expected({ status: ["succeeded", "failed"], format: "steps", batch_size: "2" }));
    expect(body.trimEnd().split("\n")).toHaveLength(10);
  });

  it.skipIf(skip)("accepts every filter as a query parameter", async () => {
    // Tie A's only step was judged 0.5, below the retry threshold: it failed, so the session has no reward.
    const query = "?since=2025-10-02&until=2025-10-06&min_reward=0.6&config=writer&q=forecast&limit=5&offset=0&trajectory_event_limit=3";
    const body = await (await download(new Request(url(query)), undefined)).text();
    const records = body.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(records.map((record) => record.task)).toEqual(["Tie B: forecast"]);
    const [churn, failed] = [seeded.get("churn")!.sessionId, seeded.get("failed")!.sessionId];
    const byIds = await (await download(new Request(url(`?session_id=${failed}&session_id=${churn}`)), undefined)).text();
    expect(byIds.trimEnd().split("\n").map((line) => JSON.parse(line).session_metadata.session_id)).toEqual([failed, churn]);
    const withoutReward = await (await download(new Request(url("?config=writer&q=forecast")), undefined)).text();
    expect(withoutReward.trimEnd().split("\n")).toHaveLength(2);
    expect(records.every((record) => record.trajectory_events.length === 3)).toBe(true);
  });

  it.skipIf(skip)("answers 400 with the issues for bad parameters", async () => {
    const response = await download(new Request(url("?limit=ten&format=csv&bogus=1")), undefined);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; issues: { path: string; message: string }[] } };
    expect(body.error.code).toBe("invalid_input");
    const paths = body.error.issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(["", "limit", "format"]));
    expect(body.error.issues.find((issue) => issue.path === "")!.message).toContain("bogus");
  });

  it.skipIf(skip)("counts sessions and steps for the same filters", async () => {
    const response = await count(new Request(url("?config=finance")), undefined);
    expect(await response.json()).toEqual({ sessions: 3, steps: 7, lines: 3 });
    expect(await (await count(new Request(url("?config=finance&format=steps")), undefined)).json()).toEqual({ sessions: 3, steps: 7, lines: 7 });
    expect((await count(new Request(url("?since=yesterday")), undefined)).status).toBe(400);
  });

  it.skipIf(skip)("exports one session, 404 for an unknown id", async () => {
    const churn = seeded.get("churn")!.sessionId;
    const response = await one(new Request(`http://atlas.test/api/sessions/${churn}/export?format=pairs`), { id: churn });
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="atlas-session-${churn}.jsonl"`);
    expect(await response.text()).toBe(await expected({ session_id: String(churn), format: "pairs" }));
    const missing = await one(new Request("http://atlas.test/api/sessions/999999/export"), { id: 999999 });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it.skipIf(skip)("stops reading the database when the client goes away", async () => {
    const response = await download(new Request(url("?batch_size=1&trajectory_event_limit=0")), undefined);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await reader.cancel();
    await expect(reader.closed).resolves.toBeUndefined();
  });

  it.skipIf(skip)("imports an NDJSON body that arrives in pieces, idempotently", async () => {
    const target = await createTestDatabase(driver);
    try {
      const upload = handle(async (request: Request) => Response.json(await importUpload(target.db, request)));
      const text = (await expected({ limit: "3" })).replace("Report", "Rapport ünïcödé");
      const post = (body: BodyInit | null, type = "application/x-ndjson") =>
        upload(new Request("http://atlas.test/api/import", { method: "POST", body, headers: { "content-type": type }, duplex: "half" } as RequestInit), undefined);

      const first = await post(trickle(text));
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({ records: 3, imported: 3, skipped: 0, message: "imported 3, skipped 0" });
      const again = await post(trickle(`${text}\n{broken\n`, 5));
      expect(await again.json()).toMatchObject({ imported: 0, alreadyImported: 3, malformed: [{ line: 5, reason: expect.stringMatching(/^not valid JSON/) }] });

      const garbage = await post("this is not json\nnor is this\n");
      expect(garbage.status).toBe(400);
      expect(await garbage.json()).toMatchObject({ error: { code: "invalid_input", issues: [{ line: 1 }, { line: 2 }] } });
      expect((await post("")).status).toBe(400);
      expect((await post(text, "multipart/form-data; boundary=x")).status).toBe(400);
    } finally {
      await target.close();
    }
  });
});
