import { getDatabase } from "@/lib/db/client";
import { handle } from "@/lib/http/respond";
import { AgreementQuerySchema } from "@/lib/review/api-types";
import { judgeAgreement } from "@/lib/review/judges";
import { parseSearchParams } from "@/lib/sessions/query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request) => {
  const query = parseSearchParams(request.url, AgreementQuerySchema);
  return Response.json(
    await judgeAgreement((await getDatabase()).db, query.config, {
      ...(query.threshold === undefined ? {} : { threshold: query.threshold }),
      ...(query.judgement === undefined ? {} : { judgement: query.judgement }),
    }),
  );
});
