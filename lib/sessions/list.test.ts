import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionListQuery } from "@/lib/db/queries/session-views";
import { sessions } from "@/lib/db/schema";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { queryRows } from "@/lib/db/raw";
import { SessionListQuerySchema, SessionListResponseSchema, type SessionListQuery } from "./api-types";
import { listSessions, toListFilter } from "./list";

const drivers = (await availableDrivers()).filter(({ driver }) => driver !== "neon");

interface Seed {
  id: number;
  task: string;
  status: string;
  config: string | null;
  reward: number | null;
  /** Microsecond UTC text, so equal and microsecond-apart timestamps can be seeded. */
  createdAt: string;
  /** Set after planning: a few distinct fractional values, many ties. */
  cost?: number;
}

const costOf = (index: number) => [0, 0.0137, 1.1e-7, 2.5, 0.0137, 0.3333333333333333][index % 6] as number;

const STATUSES = ["succeeded", "failed", "running", "cancelled", "interrupted"];

/** 41 sessions: some share a timestamp exactly, some differ by one microsecond, tasks with LIKE wildcards. */
function seedPlan(): Omit<Seed, "id">[] {
  const plan: Omit<Seed, "id">[] = [];
  for (let index = 0; index < 36; index += 1) {
    const day = 1 + Math.floor(index / 4);
    const micros = index % 3 === 0 ? "000000" : index % 3 === 1 ? "000001" : "000001";
    plan.push({
      task: index % 7 === 0 ? `Summarise Report ${index}` : `analyse dataset ${index}`,
      status: STATUSES[index % STATUSES.length] as string,
      config: index % 4 === 0 ? null : `config-${index % 3}`,
      reward: index % 5 === 0 ? null : Math.round(((index * 37) % 100) / 10) / 10,
      createdAt: `2025-03-${String(day).padStart(2, "0")}T12:00:00.${micros}Z`,
    });
  }
  plan.push({ task: "100% done_now", status: "succeeded", config: "config-1", reward: 0.5, createdAt: "2025-03-20T00:00:00.000000Z" });
  plan.push({ task: "100 percent done now", status: "succeeded", config: "config-1", reward: 0.5, createdAt: "2025-03-20T00:00:00.000000Z" });
  plan.push({ task: "edge of day", status: "failed", config: "config-2", reward: 0.9, createdAt: "2025-03-05T23:59:59.999999Z" });
  plan.push({ task: "start of day", status: "failed", config: "config-2", reward: 0.1, createdAt: "2025-03-06T00:00:00.000000Z" });
  plan.push({ task: "millisecond edge", status: "failed", config: "config-2", reward: 0.2, createdAt: "2025-03-07T10:00:00.000500Z" });
  return plan;
}

const order = (a: Seed, b: Seed) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1);

describe.each(drivers)("GET /api/sessions list on $driver", ({ driver, skip }) => {
  let database: TestDatabase;
  let seeded: Seed[] = [];

  beforeAll(async () => {
    if (skip) return;
    database = await createTestDatabase(driver);
    for (const [index, row] of seedPlan().entries()) {
      const [inserted] = await database.db
        .insert(sessions)
        .values({
          task: row.task,
          status: row.status,
          configName: row.config,
          rewardScore: row.reward,
          costUsd: costOf(index),
          createdAt: sql`${row.createdAt}::timestamptz` as unknown as Date,
        })
        .returning({ id: sessions.id });
      seeded.push({ ...row, cost: costOf(index), id: inserted?.id ?? 0 });
    }
    seeded = seeded.sort(order);
  });
  afterAll(async () => {
    await database?.close();
  });

  const query = (raw: Record<string, unknown>): SessionListQuery => SessionListQuerySchema.parse(raw);

  async function allPages(raw: Record<string, unknown>): Promise<number[]> {
    const ids: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const response = SessionListResponseSchema.parse(await listSessions(database.db, query({ ...raw, cursor })));
      ids.push(...response.sessions.map((session) => session.id));
      if (!response.nextCursor) return ids;
      expect(response.sessions.length).toBe(Number(raw.limit ?? 50));
      cursor = response.nextCursor;
    }
    throw new Error("pagination did not end");
  }

  const expected = (keep: (row: Seed) => boolean) => seeded.filter(keep).map((row) => row.id);

  it.skipIf(skip)("pages through everything newest first, ties broken by id, without a gap or a repeat", async () => {
    for (const limit of [1, 3, 7, 50]) {
      expect(await allPages({ limit: String(limit) }), `limit ${limit}`).toEqual(expected(() => true));
    }
  });

  it.skipIf(skip)("filters by status (one or several), config and reward range, also while paging", async () => {
    expect(await allPages({ status: "failed", limit: "2" })).toEqual(expected((row) => row.status === "failed"));
    expect(await allPages({ status: ["failed", "running"], limit: "4" })).toEqual(
      expected((row) => row.status === "failed" || row.status === "running"),
    );
    expect(await allPages({ config: "config-1", limit: "3" })).toEqual(expected((row) => row.config === "config-1"));
    expect(await allPages({ minReward: "0.3", maxReward: "0.7", limit: "5" })).toEqual(
      // Only a session reward matches: a session that did not succeed has none (lib/trajectory/session-reward.ts).
      expected((row) => row.status === "succeeded" && row.reward !== null && row.reward >= 0.3 - 1e-6 && row.reward <= 0.7 + 1e-6),
    );
    expect(await allPages({ status: "succeeded", config: "config-1", minReward: "0.5", limit: "2" })).toEqual(
      expected((row) => row.status === "succeeded" && row.config === "config-1" && row.reward !== null && row.reward >= 0.5 - 1e-6),
    );
  });

  it.skipIf(skip)("treats a date as a whole UTC day and a date-time as an inclusive instant", async () => {
    expect(await allPages({ from: "2025-03-05", to: "2025-03-05" })).toEqual(expected((row) => row.createdAt.startsWith("2025-03-05")));
    expect(await allPages({ from: "2025-03-06T00:00:00Z" })).toEqual(expected((row) => row.createdAt >= "2025-03-06T00:00:00.000000Z"));
    expect(await allPages({ to: "2025-03-07T10:00:00.000Z" })).toEqual(expected((row) => row.createdAt <= "2025-03-07T10:00:00.000999Z"));
    expect(await allPages({ to: "2025-03-07T09:59:59.999+00:00" })).toEqual(expected((row) => row.createdAt < "2025-03-07T10:00:00.000000Z"));
  });

  it.skipIf(skip)("matches q as a case-insensitive substring, taking % and _ literally", async () => {
    expect(await allPages({ q: "report" })).toEqual(expected((row) => row.task.toLowerCase().includes("report")));
    expect(await allPages({ q: "100%" })).toEqual(expected((row) => row.task.includes("100%")));
    expect(await allPages({ q: "done_now" })).toEqual(expected((row) => row.task.includes("done_now")));
  });

  it.skipIf(skip)("sorts by cost, most expensive first with ties by id, across pages and with filters", async () => {
    const byCost = (keep: (row: Seed) => boolean) =>
      seeded
        .filter(keep)
        .sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0) || b.id - a.id)
        .map((row) => row.id);
    for (const limit of [1, 4, 50]) expect(await allPages({ sort: "cost", limit: String(limit) }), `limit ${limit}`).toEqual(byCost(() => true));
    expect(await allPages({ sort: "cost", status: "failed", limit: "2" })).toEqual(byCost((row) => row.status === "failed"));
    // A cursor belongs to its order.
    const newest = await listSessions(database.db, query({ limit: "2" }));
    await expect(listSessions(database.db, query({ sort: "cost", cursor: newest.nextCursor }))).rejects.toMatchObject({ code: "invalid_input" });
    expect(() => query({ sort: "price" })).toThrow();
  });

  it.skipIf(skip)("refuses a cursor it did not make", async () => {
    await expect(listSessions(database.db, query({ cursor: "bm9wZQ" }))).rejects.toMatchObject({ code: "invalid_input" });
    await expect(listSessions(database.db, query({ cursor: Buffer.from('["2025-01-01",1]').toString("base64url") }))).rejects.toMatchObject({
      code: "invalid_input",
    });
  });
});

describe.skipIf((await availableDrivers()).find(({ driver }) => driver === "postgres")?.skip)("session list plan on PostgreSQL with 100k sessions", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    await database.db.execute(sql`
      insert into sessions (task, status, config_name, reward_score, created_at)
      select 'task number ' || g,
             (array['succeeded','succeeded','succeeded','failed','cancelled','running','interrupted'])[g % 7 + 1],
             'config-' || (g % 20),
             case when g % 3 = 0 then null else (g % 100) / 100.0 end,
             timestamptz '2025-01-01' + (g * interval '17 seconds')
        from generate_series(1, 100000) as g`);
    await database.db.execute(sql`analyze sessions`);
  });
  afterAll(async () => {
    await database?.close();
  });

  async function explain(raw: Record<string, unknown>) {
    const filter = { ...toListFilter(SessionListQuerySchema.parse(raw)), limit: 51 };
    const { sql: text, params } = sessionListQuery(database.db, filter).toSQL();
    const [row] = await queryRows<{ "QUERY PLAN": unknown }>(
      database.db,
      sql.raw(`explain (analyze, format json) ${inlineParams(text, params)}`),
    );
    const [plan] = row?.["QUERY PLAN"] as [{ Plan: PlanNode; "Execution Time": number }];
    return plan;
  }

  it("uses the status index for a status-filtered page (first and next), reading only about a page of rows", async () => {
    const first = await explain({ status: "failed" });
    const page = await listSessions(database.db, SessionListQuerySchema.parse({ status: "failed" }));
    const second = await explain({ status: "failed", cursor: page.nextCursor });
    for (const [name, plan] of [["first page", first], ["second page", second]] as const) {
      console.log(`status=failed ${name}: ${plan["Execution Time"].toFixed(3)} ms\n${describePlan(plan.Plan)}`);
      const scans = nodes(plan.Plan).filter((node) => node["Relation Name"] === "sessions");
      expect(scans.map((node) => [node["Node Type"], node["Index Name"]])).toEqual([["Index Scan", "sessions_status_created_idx"]]);
      expect(nodes(plan.Plan).some((node) => node["Node Type"] === "Sort")).toBe(false);
      // Keyset: the scan stops after the page (+1), whatever the table size.
      expect(scans[0]?.["Actual Rows"]).toBeLessThanOrEqual(51);
    }
  });

  it("uses the created index for the unfiltered list and the config index for a config filter", async () => {
    const all = await explain({});
    const byConfig = await explain({ config: "config-3" });
    console.log(`unfiltered: ${all["Execution Time"].toFixed(3)} ms\n${describePlan(all.Plan)}`);
    console.log(`config=config-3: ${byConfig["Execution Time"].toFixed(3)} ms\n${describePlan(byConfig.Plan)}`);
    const indexOf = (plan: PlanNode) => nodes(plan).find((node) => node["Relation Name"] === "sessions")?.["Index Name"];
    expect(indexOf(all.Plan)).toBe("sessions_created_idx");
    expect(indexOf(byConfig.Plan)).toBe("sessions_config_created_idx");
  });
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

function describePlan(plan: PlanNode, depth = 0): string {
  const line = `${"  ".repeat(depth)}${plan["Node Type"]}${plan["Index Name"] ? ` using ${plan["Index Name"]}` : ""}${
    plan["Relation Name"] ? ` on ${plan["Relation Name"]}` : ""
  } (rows ${plan["Actual Rows"]})${plan["Index Cond"] ? ` cond ${plan["Index Cond"]}` : ""}`;
  return [line, ...(plan.Plans ?? []).map((child) => describePlan(child, depth + 1))].join("\n");
}

/** EXPLAIN cannot take bind parameters through every driver: inline them as literals. */
function inlineParams(text: string, params: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_match, index: string) => {
    const value = params[Number(index) - 1];
    if (typeof value === "number") return String(value);
    if (value instanceof Date) return `'${value.toISOString()}'`;
    return `'${String(value).replace(/'/g, "''")}'`;
  });
}
