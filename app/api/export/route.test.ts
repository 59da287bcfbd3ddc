/** The export/import route files wired to the process database (in-memory PGlite here). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { seedSession } from "@/lib/export/testing/fixture";

process.env.ATLAS_DATA_DIR = "memory://";
process.env.ATLAS_NO_SIGNAL_HANDLERS = "1";
delete process.env.DATABASE_URL;
delete process.env.ATLAS_DB_DRIVER;

const { GET: exportRoute } = await import("./route");
const { GET: countRoute } = await import("./count/route");
const { POST: importRoute } = await import("../import/route");
const { GET: sessionExportRoute } = await import("../sessions/[id]/export/route");

describe("export routes", () => {
  let sessionId: number;

  beforeAll(async () => {
    const { db } = await getDatabase();
    ({ sessionId } = await seedSession(db, { task: "Route task", createdAt: new Date("2025-10-01T00:00:00Z") }));
  });
  afterAll(async () => {
    await closeDatabase();
  });

  it("GET /api/export streams, GET /api/export/count counts, bad filters are 400", async () => {
    const response = await exportRoute(new Request("http://atlas.test/api/export?status=succeeded"), undefined);
    expect(response.status).toBe(200);
    const lines = (await response.text()).trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line).task)).toEqual(["Route task"]);
    expect(await (await countRoute(new Request("http://atlas.test/api/export/count"), undefined)).json()).toEqual({ sessions: 1, steps: 2, lines: 1 });
    expect((await exportRoute(new Request("http://atlas.test/api/export?offset=x"), undefined)).status).toBe(400);
  });

  it("GET /api/sessions/:id/export returns one session, 404 otherwise", async () => {
    const params = (id: string) => ({ params: Promise.resolve({ id }) });
    const found = await sessionExportRoute(new Request(`http://atlas.test/api/sessions/${sessionId}/export`), params(String(sessionId)));
    expect(JSON.parse(await found.text()).session_metadata.session_id).toBe(sessionId);
    expect((await sessionExportRoute(new Request("http://atlas.test/x"), params("12345"))).status).toBe(404);
    expect((await sessionExportRoute(new Request("http://atlas.test/x"), params("abc"))).status).toBe(404);
  });

  it("POST /api/import takes an exported body and knows its sessions are already here", async () => {
    const body = await (await exportRoute(new Request("http://atlas.test/api/export"), undefined)).text();
    const post = () => importRoute(new Request("http://atlas.test/api/import", { method: "POST", body, headers: { "content-type": "application/x-ndjson" } }), undefined);
    // Exported from this very database: importing it back creates no duplicate, the first time or the next.
    expect(await (await post()).json()).toMatchObject({ records: 1, imported: 0, alreadyImported: 1 });
    expect(await (await post()).json()).toMatchObject({ imported: 0, alreadyImported: 1 });
  });
});
