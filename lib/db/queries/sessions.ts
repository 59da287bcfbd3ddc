import { and, eq, inArray, sql } from "drizzle-orm";
import { sessions, type SessionRow } from "../schema";
import type { Queryable } from "../types";

export interface NewSession {
  task: string;
  metadata?: Record<string, unknown> | null;
  configName?: string | null;
  configVersionId?: number | null;
  configHash?: string | null;
  status?: "queued" | "running";
}

export async function createSession(db: Queryable, input: NewSession): Promise<SessionRow> {
  const [row] = await db
    .insert(sessions)
    .values({
      task: input.task,
      metadata: input.metadata ?? {},
      configName: input.configName ?? null,
      configVersionId: input.configVersionId ?? null,
      configHash: input.configHash ?? null,
      status: input.status ?? "running",
    })
    .returning();
  if (!row) throw new Error("session insert returned no row");
  return row;
}

export async function getSessionById(db: Queryable, { id }: { id: number }): Promise<SessionRow | null> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
  return row ?? null;
}

/** Sessions a process left `queued`/`running` when it died. */
export async function listUnfinishedSessionIds(db: Queryable): Promise<{ id: number; lastSeq: number }[]> {
  return db
    .select({ id: sessions.id, lastSeq: sessions.lastSeq })
    .from(sessions)
    .where(and(inArray(sessions.status, ["queued", "running"]), eq(sessions.source, "run")));
}

export async function countSessions(db: Queryable): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(sessions);
  return row?.count ?? 0;
}
