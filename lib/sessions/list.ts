import "server-only";
import { listSessionRows, type SessionListFilter } from "@/lib/db/queries/session-views";
import type { Queryable } from "@/lib/db/types";
import type { SessionListItem, SessionListQuery, SessionListResponse } from "./api-types";
import { decodeSessionCursor, encodeSessionCursor } from "./cursor";
import { toSessionSummary } from "./summary";

const DAY_MS = 86_400_000;

/** One page of sessions, newest first; `nextCursor` is null on the last page. */
export async function listSessions(db: Queryable, query: SessionListQuery): Promise<SessionListResponse> {
  const filter = toListFilter(query);
  // One extra row tells whether another page exists without a count query.
  const rows = await listSessionRows(db, { ...filter, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    sessions: page.map((row) => ({
      ...toSessionSummary(row),
      reviewStatus: row.reviewStatus as SessionListItem["reviewStatus"],
      driftFlagged: row.driftFlagged,
    })),
    nextCursor: rows.length > query.limit && last ? encodeSessionCursor(last.key, query.sort) : null,
  };
}

export function toListFilter(query: SessionListQuery): Omit<SessionListFilter, "limit"> {
  return {
    statuses: query.status,
    configName: query.config,
    createdFrom: query.from === undefined ? undefined : startOf(query.from),
    // A date means the whole day; a date-time is inclusive to the millisecond.
    createdBefore: query.to === undefined ? undefined : endOf(query.to),
    minReward: query.minReward,
    maxReward: query.maxReward,
    taskContains: query.q?.trim() || undefined,
    reviewStatuses: query.review,
    experimentId: query.experiment,
    driftFlagged: query.drift === undefined ? undefined : query.drift === "flagged",
    escalated: query.escalated === undefined ? undefined : query.escalated === "true",
    order: query.sort,
    after: query.cursor === undefined || query.cursor === "" ? undefined : decodeSessionCursor(query.cursor, query.sort),
  };
}

function isDateOnly(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text);
}

function startOf(text: string): Date {
  return new Date(isDateOnly(text) ? `${text}T00:00:00Z` : text);
}

function endOf(text: string): Date {
  if (isDateOnly(text)) return new Date(Date.parse(`${text}T00:00:00Z`) + DAY_MS);
  return new Date(Date.parse(text) + 1);
}
