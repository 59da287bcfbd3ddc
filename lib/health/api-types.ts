/** `GET /api/health`: the one shape the server answers and the dashboard's banner reads (browser-safe). */
import { z } from "zod";

export const HealthReportSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.discriminatedUnion("ok", [
    z.object({
      ok: z.literal(true),
      driver: z.string(),
      location: z.string(),
      migrations: z.object({ applied: z.number(), available: z.number(), pending: z.number() }),
    }),
    z.object({
      ok: z.literal(false),
      error: z.string(),
      /** Another process (a CLI run) holds the embedded database: pages work again once it lets go. */
      heldByAnotherProcess: z.boolean(),
    }),
  ]),
});
export type HealthReport = z.infer<typeof HealthReportSchema>;

export const healthPath = "/api/health";
