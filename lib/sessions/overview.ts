import "server-only";
import {
  dailySessionSeries,
  listActiveSessionRows,
  listSessionRows,
  sessionTotals,
} from "@/lib/db/queries/session-views";
import { usageByRoleSince } from "@/lib/calls/calls";
import type { Queryable } from "@/lib/db/types";
import type { Overview } from "./api-types";
import { toSessionSummary } from "./summary";

const SERIES_DAYS = 30;
const RECENT = 10;
const ACTIVE_LIMIT = 50;

/** The home page: recent and active sessions, a 30-day daily series, all-time totals. */
export async function getOverview(db: Queryable, now: Date = new Date()): Promise<Overview> {
  const seriesStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (SERIES_DAYS - 1)));
  const [recent, active, series, totals, usageByRole] = await Promise.all([
    listSessionRows(db, { limit: RECENT }),
    listActiveSessionRows(db, ACTIVE_LIMIT),
    dailySessionSeries(db, seriesStart),
    sessionTotals(db),
    usageByRoleSince(db, seriesStart),
  ]);
  return {
    recent: recent.map(toSessionSummary),
    running: active.map(toSessionSummary),
    series,
    usageByRole,
    totals: {
      sessions: totals.sessions,
      running: totals.active,
      costUsd: totals.costUsd,
      judgeOutcomes: totals.judgeOutcomes,
      escalations: totals.escalations,
      escalationRate: totals.judgeOutcomes > 0 ? totals.escalations / totals.judgeOutcomes : null,
    },
  };
}
