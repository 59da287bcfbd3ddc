import os from "node:os";
import { openMigratedDatabase } from "@/lib/db/open";
import { resolveDatabaseTarget } from "@/lib/db/target";
import { REVIEW_STATUSES, type ReviewStatus } from "@/lib/review/api-types";
import { listSessionsByReview, setReviewStatusOfMany } from "@/lib/review/queue";
import { parseCommandArgs, parseIntegerOption } from "../args";
import { UsageError, type Command, type CommandIO } from "../io";

const OPTIONS = {
  "database-url": { type: "string" },
  note: { type: "string" },
  reviewer: { type: "string" },
  status: { type: "string", multiple: true },
  limit: { type: "string" },
  offset: { type: "string" },
} as const;

const TRANSITIONS: Record<string, ReviewStatus> = { approve: "approved", quarantine: "quarantined", reset: "pending" };

export const reviewCommand: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, true);
  const [action, ...rest] = positionals;
  if (action === "list") {
    if (rest.length > 0) throw new UsageError(`review list takes no session ids (got ${rest.join(" ")})`);
    return list(io, values);
  }
  const status = action === undefined ? undefined : TRANSITIONS[action];
  if (!status) throw new UsageError(`give list, approve, quarantine or reset (got ${action ?? "nothing"})`);
  if (rest.length === 0) throw new UsageError(`review ${action} needs at least one session id`);
  const ids = rest.map((text) => {
    const id = Number(text);
    if (!Number.isInteger(id) || id < 1) throw new UsageError(`session ids are positive integers (got "${text}")`);
    return id;
  });
  const reviewer = values.reviewer?.trim() || `cli:${io.env.USER ?? os.userInfo().username}`;
  return withDatabase(io, values["database-url"], async (db) => {
    const results = await setReviewStatusOfMany(db, ids, { status, reviewer, ...(values.note ? { note: values.note } : {}) });
    for (const result of results) {
      const previous = result.history.at(-1)?.previousStatus ?? "pending";
      io.stdout(`session ${result.sessionId}: ${result.reviewStatus} (was ${previous})${values.note ? ` — ${values.note}` : ""}\n`);
    }
    return 0;
  });
};

async function list(io: CommandIO, values: { status?: string[]; limit?: string; offset?: string; "database-url"?: string }) {
  const statuses = (values.status ?? []).map((status) => status.trim().toLowerCase());
  const unknown = statuses.filter((status) => !(REVIEW_STATUSES as readonly string[]).includes(status));
  if (unknown.length > 0) throw new UsageError(`--status must be one of ${REVIEW_STATUSES.join(", ")} (got ${unknown.join(", ")})`);
  const limit = parseIntegerOption("limit", values.limit, { min: 1 }) ?? 20;
  const offset = parseIntegerOption("offset", values.offset) ?? 0;
  return withDatabase(io, values["database-url"], async (db) => {
    const rows = await listSessionsByReview(db, { statuses, limit, offset });
    if (rows.length === 0) {
      io.stderr(`No sessions${statuses.length > 0 ? ` with review status ${statuses.join(" or ")}` : ""}.\n`);
      return 0;
    }
    for (const row of rows) {
      const reward = row.rewardScore === null ? "reward=-" : `reward=${row.rewardScore.toFixed(2)}`;
      io.stdout(
        `  ${row.id} | ${row.reviewStatus} | ${row.driftFlagged ? "ALERT" : "ok"} | ${reward} | ${row.status} | ` +
          `created=${new Date(row.createdAt).toISOString()} | ${oneLine(row.task)}\n`,
      );
    }
    return 0;
  });
}

async function withDatabase(io: CommandIO, url: string | undefined, work: (db: Awaited<ReturnType<typeof openMigratedDatabase>>["db"]) => Promise<number>) {
  const handle = await openMigratedDatabase(resolveDatabaseTarget(io.env, url));
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}
