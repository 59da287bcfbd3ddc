import { healthReport } from "@/lib/health/status";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handle(async () => {
  const report = await healthReport();
  return Response.json(report, { status: report.status === "ok" ? 200 : 503 });
});
