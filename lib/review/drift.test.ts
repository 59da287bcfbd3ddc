/**
 * Drift alerts: normal variation (fixed seed) raises none, a planted outlier is flagged, forced to pending and
 * posted to a real local HTTP receiver; a failure streak past the rate is posted too.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigObject, type AtlasConfig } from "@/lib/config";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { seedSession } from "@/lib/export/testing/fixture";
import { afterStoredSession, AUTO_APPROVER, DRIFT_REVIEWER } from "./after-session";
import { checkDrift } from "./drift";
import { reviewOf } from "./status";
import { seededRandom } from "@/lib/seeded-random";

/** Box–Muller normal samples around `mean`, clipped into [0, 1]. */
function normalRewards(count: number, mean: number, sd: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const sample = mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Number(Math.min(1, Math.max(0, sample)).toFixed(4));
  });
}

const POLICY = { window: 50, z_threshold: 3, min_baseline: 5, use_mad: true };

describe("checkDrift", () => {
  it("normal variation is never flagged, the planted outlier is", () => {
    const rewards = normalRewards(40, 0.8, 0.03, 1234);
    for (let index = 0; index < rewards.length; index += 1) {
      const previous = rewards.slice(0, index).reverse();
      expect(checkDrift(rewards[index]!, previous, POLICY).flagged, `session ${index}: ${rewards[index]}`).toBe(false);
    }
    const outlier = checkDrift(0.35, [...rewards].reverse(), POLICY);
    expect(outlier).toMatchObject({ flagged: true, reason: "score_z" });
    expect(outlier.z!).toBeLessThan(-3);
    expect(outlier.madZ!).toBeLessThan(-3);
  });

  it("an earlier outlier inflates the standard deviation but not the MAD: the MAD-z still flags", () => {
    const window = [0.8, 0.81, 0.79, 0.8, 0.82, 0.78, 0.8, 0.81, 0.0, 0.0];
    const check = checkDrift(0.6, window, POLICY);
    expect(Math.abs(check.z!)).toBeLessThan(3);
    expect(check).toMatchObject({ flagged: true, reason: "score_mad_z" });
    expect(checkDrift(0.6, window, { ...POLICY, use_mad: false }).flagged).toBe(false);
  });

  it("too short a baseline is not judged; a window without spread flags any different value", () => {
    expect(checkDrift(0.1, [0.9, 0.9], POLICY)).toMatchObject({ flagged: false, reason: "insufficient_baseline", z: null });
    expect(checkDrift(0.5, [0.9, 0.9, 0.9, 0.9, 0.9], POLICY)).toMatchObject({ flagged: true, reason: "score_z" });
    expect(checkDrift(0.9, [0.9, 0.9, 0.9, 0.9, 0.9], POLICY)).toMatchObject({ flagged: false, z: 0 });
  });

  it("hand-computed z and MAD-z", () => {
    // mean 0.5, sample sd sqrt(0.025) = 0.158114; median 0.5, MAD 0.1.
    const check = checkDrift(1, [0.3, 0.4, 0.5, 0.6, 0.7], POLICY);
    expect(check.mean).toBeCloseTo(0.5, 9);
    expect(check.stddev).toBeCloseTo(0.158114, 6);
    expect(check.mad).toBeCloseTo(0.1, 9);
    expect(check.z).toBeCloseTo(3.162278, 5);
    expect(check.madZ).toBeCloseTo(3.3725, 4);
  });
});

interface Receiver {
  url: string;
  bodies: unknown[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const bodies: unknown[] = [];
  const read = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = "";
      request.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      request.on("end", () => resolve(text));
    });
  const server: Server = createServer((request, response) => {
    void read(request).then((text) => {
      bodies.push({ method: request.method, contentType: request.headers["content-type"], body: JSON.parse(text) as unknown });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function configWith(runtimeSafety: unknown): AtlasConfig {
  const parsed = parseConfigObject({
    agent: { type: "http_api", name: "demo", system_prompt: "Answer.", transport: { base_url: "https://agent.example/v1" } },
    teacher: { llm: { model: "m" } },
    rim: { small_model: { model: "m" }, large_model: { model: "m" } },
    runtime_safety: runtimeSafety,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

describe("drift alerts after stored sessions (PGlite)", () => {
  let database: TestDatabase;
  let receiver: Receiver;
  let clock = Date.parse("2025-11-01T00:00:00Z");
  const config = configWith({ review: { require_approval: false }, drift: { window: 20, min_baseline: 5 } });

  const run = async (reward: number, configName = "drifting", outcome: "succeeded" | "failed" = "succeeded") => {
    clock += 60_000;
    const { sessionId } = await seedSession(database.db, {
      task: `reward ${reward}`,
      configName,
      createdAt: new Date(clock),
      outcome,
      steps: [{ description: "answer", score: reward }],
    });
    await afterStoredSession(database.db, sessionId, config, { webhookUrl: receiver.url });
    return sessionId;
  };

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await database?.close();
  });

  it("normal variation is approved and posts nothing; the outlier is flagged, kept pending and posted", async () => {
    const normal = normalRewards(12, 0.8, 0.03, 99);
    for (const reward of normal) {
      const id = await run(reward);
      const review = await reviewOf(database.db, id);
      expect(review, `reward ${reward}`).toMatchObject({ reviewStatus: "approved", driftFlagged: false });
      expect(review.history.map((entry) => entry.reviewer)).toEqual([AUTO_APPROVER]);
    }
    expect(receiver.bodies).toEqual([]);

    const outlier = await run(0.62);
    const review = await reviewOf(database.db, outlier);
    expect(review).toMatchObject({ reviewStatus: "pending", driftFlagged: true, drift: { reason: "score_z", flagged: true } });
    expect(review.drift!.window).toHaveLength(12);
    expect(review.history).toEqual([
      expect.objectContaining({ status: "pending", previousStatus: "pending", reviewer: DRIFT_REVIEWER, note: expect.stringContaining("drifted (score_z") }),
    ]);
    expect(receiver.bodies).toEqual([
      {
        method: "POST",
        contentType: "application/json",
        body: expect.objectContaining({
          type: "atlas.drift_alert",
          sessionId: outlier,
          configName: "drifting",
          reason: "score_z",
          threshold: 3,
          reviewStatus: "pending",
          window: expect.objectContaining({ size: 12 }),
        }),
      },
    ]);
  });

  it("another config's rewards are not its baseline", async () => {
    const id = await run(0.7, "other-config");
    expect(await reviewOf(database.db, id)).toMatchObject({ driftFlagged: false, drift: { reason: "insufficient_baseline" } });
  });

  it("failed sessions past the failure rate post an alert", async () => {
    receiver.bodies.length = 0;
    const failing = configWith({ drift: { window: 4, min_baseline: 3, failure_rate: 0.75 } });
    const ids: number[] = [];
    for (let index = 0; index < 3; index += 1) {
      clock += 60_000;
      const { sessionId } = await seedSession(database.db, { task: "fails", configName: "flaky", createdAt: new Date(clock), outcome: "failed" });
      await afterStoredSession(database.db, sessionId, failing, { webhookUrl: receiver.url });
      ids.push(sessionId);
    }
    expect(receiver.bodies.map((entry) => (entry as { body: { type: string; sessionId: number; failed: number; window: number } }).body)).toEqual([
      expect.objectContaining({ type: "atlas.failure_rate", sessionId: ids[2], failed: 3, window: 3, rate: 1, threshold: 0.75 }),
    ]);
  });
});
