import "server-only";
import { getDatabase } from "@/lib/db/client";
import { appliedMigrationCount, knownMigrations } from "@/lib/db/migrations";
import { errorMessage } from "@/lib/errors";

export interface HealthReport {
  status: "ok" | "degraded";
  database:
    | { ok: true; driver: string; location: string; migrations: { applied: number; available: number; pending: number } }
    | { ok: false; error: string };
}

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
    return { status: "degraded", database: { ok: false, error: errorMessage(error) } };
  }
}
