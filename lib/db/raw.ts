import "server-only";
import type { SQLWrapper } from "drizzle-orm";
import type { Queryable } from "./types";

/** Runs raw SQL and returns its rows; every supported driver answers with a `{ rows }` result. */
export async function queryRows<Row extends Record<string, unknown>>(db: Queryable, query: SQLWrapper): Promise<Row[]> {
  const result = (await db.execute<Row>(query)) as unknown as { rows: Row[] };
  return result.rows;
}
