/** A small, varied set of sessions every export test can reason about. */
import type { AtlasDb } from "@/lib/db/types";
import { seedSession, type FixtureSession } from "./fixture";

export interface SeededSession {
  key: string;
  sessionId: number;
  spec: FixtureSession;
  eventCount: number;
}

const at = (iso: string) => new Date(iso);

/** Seven sessions; two share a created_at so keyset pagination must break the tie by id. */
export const SEED_SET: { key: string; spec: FixtureSession }[] = [
  {
    key: "revenue",
    spec: { task: "Report revenue for Q3", configName: "finance", configHash: "h-fin-1", metadata: { tenant: "acme", tags: ["q3"] }, createdAt: at("2025-10-01T09:00:00Z") },
  },
  {
    key: "churn",
    spec: {
      task: "Explain churn in EMEA",
      configName: "finance",
      createdAt: at("2025-10-02T09:00:00Z"),
      steps: [
        { description: "Pull churn numbers", attempts: ["low_reward", "accept"], score: 0.7 },
        { description: "Break down by country", dependsOn: [1], attempts: ["needs_input", "invalid", "accept"], score: 0.95 },
        { description: "Write the explanation", dependsOn: [2], score: 0.6 },
      ],
    },
  },
  {
    key: "failed",
    spec: {
      task: "Draft the board memo",
      configName: "writer",
      outcome: "failed",
      createdAt: at("2025-10-03T09:00:00Z"),
      steps: [{ description: "Outline the memo", attempts: ["invalid", "invalid"] }],
    },
  },
  {
    key: "tie-a",
    spec: { task: "Tie A: forecast 100% of revenue_2025", configName: "writer", createdAt: at("2025-10-04T09:00:00Z"), steps: [{ description: "Forecast", score: 0.5 }] },
  },
  {
    key: "tie-b",
    spec: { task: "Tie B: forecast", configName: "writer", createdAt: at("2025-10-04T09:00:00Z"), steps: [{ description: "Forecast again", score: 0.7 }] },
  },
  {
    key: "cancelled",
    spec: { task: "Summarise the inbox", outcome: "cancelled", createdAt: at("2025-10-05T09:00:00Z"), steps: [{ description: "Read the inbox" }] },
  },
  {
    key: "long",
    spec: {
      task: "Audit every invoice",
      configName: "finance",
      createdAt: at("2025-10-06T09:00:00Z"),
      extraLlmCallsPerAttempt: 80,
      steps: [
        { description: "List invoices", attempts: ["invalid", "accept"], score: 0.9 },
        { description: "Check totals", dependsOn: [1], score: 0.8 },
      ],
    },
  },
];

export async function seedSet(db: AtlasDb): Promise<Map<string, SeededSession>> {
  const seeded = new Map<string, SeededSession>();
  for (const { key, spec } of SEED_SET) {
    const { sessionId, events } = await seedSession(db, spec);
    seeded.set(key, { key, sessionId, spec, eventCount: events.length });
  }
  return seeded;
}
