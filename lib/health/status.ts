import "server-only";
import { getDatabase } from "@/lib/db/client";
import { appliedMigrationCount, knownMigrations } from "@/lib/db/migrations";
import { DatabaseLockedError } from "@/lib/db/drivers/folder-lock";
import { errorMessage } from "@/lib/errors";
import type { HealthReport } from "./api-types";

export type { HealthReport };

export async function healthReport(): Promise<HealthReport> {
  try {
    const handle = await getDatabase();
    const applied = await appliedMigrationCount(handle.db);
    const available = knownMigrations().length;
    return {
      status: "ok",
      database: {
        ok: true,
        driver: handle.driver,
        location: handle.location,
        migrations: { applied, available, pending: Math.max(0, available - applied) },
      },
    };
  } catch (error) {
    return { status: "degraded", database: { ok: false, error: errorMessage(error), heldByAnotherProcess: error instanceof DatabaseLockedError } };
  }
}
