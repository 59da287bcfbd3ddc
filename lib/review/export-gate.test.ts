/** The review gate on exports (library, CLI and web route) and the human preference in preference pairs. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "@/lib/cli/main";
import { captureIO } from "@/lib/cli/testing";
import { afterStoredSession, AUTO_APPROVER } from "@/lib/review/after-session";
import { parseConfigObject, type AtlasConfig } from "@/lib/config";
import { createTestDatabase, postgresUnavailableReason, type TestDatabase } from "@/lib/db/testing/databases";
import { exportFilters, ExportFiltersSchema } from "@/lib/export/filters";
import { exportLines, exportRecords } from "@/lib/export/stream";
import { seedSession } from "@/lib/export/testing/fixture";
import { addLabel } from "./labels";
import { reviewOf, setReviewStatus } from "./status";

const skip = await postgresUnavailableReason();
if (skip) console.warn(`review gate tests skipped: ${skip}`);

function config(runtimeSafety: unknown): AtlasConfig {
  const parsed = parseConfigObject({
    agent: { type: "http_api", name: "demo", system_prompt: "Answer.", transport: { base_url: "https://agent.example/v1" } },
    teacher: { llm: { model: "gpt-4o-mini" } },
    rim: { small_model: { model: "gpt-4o-mini" }, large_model: { model: "gpt-4o" } },
    ...(runtimeSafety === undefined ? {} : { runtime_safety: runtimeSafety }),
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

describe.skipIf(skip)("export with and without the review gate", () => {
  let database: TestDatabase;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    const seed = async (name: string, cfg: AtlasConfig) => {
      const { sessionId } = await seedSession(database.db, { task: `task ${name}`, createdAt: new Date(`2025-10-0${Object.keys(ids).length + 1}T00:00:00Z`) });
      await afterStoredSession(database.db, sessionId, cfg);
      ids[name] = sessionId;
    };
    await seed("ungated", config(undefined));
    await seed("pending", config({}));
    await seed("approved", config({}));
    await seed("quarantined", config({}));
    await seed("auto", config({ review: { require_approval: false } }));
    await seed("pendingOk", config({ review: { default_export_statuses: ["approved", "pending"] } }));
    await setReviewStatus(database.db, ids.approved!, { status: "approved", note: "checked the totals", reviewer: "ana" });
    await setReviewStatus(database.db, ids.quarantined!, { status: "quarantined", note: "hallucinated figure" });
  });
  afterAll(async () => {
    await database?.close();
  });

  const exported = async (input: Record<string, unknown>) => {
    const tasks: string[] = [];
    for await (const record of exportRecords(database.db, exportFilters(input))) tasks.push(String(record.task).replace("task ", ""));
    return tasks.sort();
  };

  it("require_approval false approves the finished session, recorded as automatic", async () => {
    const review = await reviewOf(database.db, ids.auto!);
    expect(review.reviewStatus).toBe("approved");
    expect(review.history.map((entry) => entry.reviewer)).toEqual([AUTO_APPROVER]);
    expect((await reviewOf(database.db, ids.pending!)).reviewStatus).toBe("pending");
  });

  it("by default each session's config decides; a config without runtime_safety is not gated", async () => {
    expect(await exported({})).toEqual(["approved", "auto", "pendingOk", "ungated"].sort());
  });

  it("--review-status picks exactly those statuses; all turns the gate off", async () => {
    expect(await exported({ review_status: "pending" })).toEqual(["pending", "pendingOk", "ungated"].sort());
    expect(await exported({ review_status: ["quarantined", "approved"] })).toEqual(["approved", "auto", "quarantined"].sort());
    expect(await exported({ review_status: "all" })).toHaveLength(6);
    expect(await exported({ review_status: "*" })).toHaveLength(6);
    expect(ExportFiltersSchema.safeParse({ review_status: "done" }).error?.issues[0]).toMatchObject({
      path: ["review_status", 0],
      message: expect.stringContaining("pending, approved, quarantined, all"),
    });
  });

  it("records carry review_status, the latest review note and the labels", async () => {
    const label = await addLabel(database.db, ids.approved!, { stepId: 1, preferredAttempt: 1, note: "the first draft was better" });
    const records = [];
    for await (const record of exportRecords(database.db, exportFilters({ review_status: "all" }))) records.push(record);
    const byTask = new Map(records.map((record) => [String(record.task), record]));
    expect(byTask.get("task approved")).toMatchObject({
      review_status: "approved",
      review_notes: "checked the totals",
      human_labels: [{ id: label.id, step_id: 1, preferred_attempt: 1, note: "the first draft was better", labeler: "web", score: null, verdict: null }],
    });
    expect(byTask.get("task ungated")?.review_status).toBe("pending");
    expect("review_notes" in byTask.get("task ungated")!).toBe(false);
  });

  it("a preference pair follows a human preferred attempt and says so; others follow the reward", async () => {
    const pairs: Record<string, unknown>[] = [];
    for await (const line of exportLines(database.db, exportFilters({ review_status: "all", format: "pairs" }))) pairs.push(JSON.parse(line));
    const human = pairs.find((pair) => pair.session_id === ids.approved);
    expect(human).toMatchObject({
      step_id: 1,
      preference_source: "human",
      human_label: { labeler: "web", note: "the first draft was better" },
      accepted: { attempt: 1 },
      rejected: { attempt: 2 },
    });
    expect(human!.reward_margin).toBeLessThan(0);
    const byReward = pairs.find((pair) => pair.session_id === ids.ungated);
    expect(byReward).toMatchObject({ step_id: 1, preference_source: "reward", accepted: { attempt: 2 }, rejected: { attempt: 1 } });
    expect(byReward!.reward_margin).toBeGreaterThan(0);
    expect("human_label" in byReward!).toBe(false);
  });

  const cli = async (...args: string[]) => {
    const capture = captureIO({ env: {} });
    const code = await main([...args, "--database-url", database.url!], capture.io);
    return { code, stdout: capture.stdout(), stderr: capture.stderr() };
  };

  it("atlas export says what the gate left out, and what an explicit filter picked", async () => {
    const gated = await cli("export", "--output", "-");
    expect(gated.code).toBe(0);
    expect(gated.stdout.trimEnd().split("\n")).toHaveLength(4);
    expect(gated.stderr).toContain("Review gate: 2 sessions left out (1 pending, 1 quarantined)");
    const picked = await cli("export", "--output", "-", "--review-status", "quarantined");
    expect(picked.stdout.trimEnd().split("\n").map((line) => JSON.parse(line).task)).toEqual(["task quarantined"]);
    expect(picked.stderr).toContain("Review status filter: quarantined (5 sessions left out: 2 approved, 3 pending).");
    const all = await cli("export", "--output", "-", "--review-status", "all");
    expect(all.stdout.trimEnd().split("\n")).toHaveLength(6);
    expect(all.stderr).toContain("Review gate off");
    const bad = await cli("export", "--output", "-", "--review-status", "maybe");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--review-status: review_status must be one of");
  });

  it("atlas review approves and quarantines with a note, lists by status, and an unknown id changes nothing", async () => {
    const approved = await cli("review", "approve", String(ids.pending), String(ids.pendingOk), "--note", "spot-checked", "--reviewer", "cli-tester");
    expect(approved).toMatchObject({ code: 0 });
    expect(approved.stdout).toBe(
      `session ${ids.pending}: approved (was pending) — spot-checked\nsession ${ids.pendingOk}: approved (was pending) — spot-checked\n`,
    );
    const history = (await reviewOf(database.db, ids.pending!)).history.at(-1);
    expect(history).toMatchObject({ status: "approved", reviewer: "cli-tester", note: "spot-checked" });

    const unknown = await cli("review", "quarantine", String(ids.approved), "999999");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no session 999999; nothing was changed");
    expect((await reviewOf(database.db, ids.approved!)).reviewStatus).toBe("approved");

    const listed = await cli("review", "list", "--status", "quarantined");
    expect(listed.stdout.trimEnd().split("\n")).toEqual([expect.stringMatching(new RegExp(`^  ${ids.quarantined} \\| quarantined \\| ok \\| reward=0\\.85 \\| succeeded \\| created=.* \\| task quarantined$`))]);
    expect((await cli("review", "list", "--status", "done")).code).toBe(2);
    expect((await cli("review", "approve")).stderr).toContain("needs at least one session id");
  });
});
