/** The Judges page's numbers: agreement of a config's judges with the human labels of its sessions. */
import "server-only";
import { parseConfigText } from "@/lib/config";
import { getLatestConfigVersionRow } from "@/lib/db/queries/configs";
import { configHasSessions, labelledJudgements } from "@/lib/db/queries/labels";
import type { Queryable } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import { agreementOf, type Agreement } from "./agreement";

/** The retry threshold when neither the request nor a saved config gives one (the schema default). */
export const DEFAULT_RETRY_THRESHOLD = 0.6;

export async function judgeAgreement(db: Queryable, configName: string, threshold?: number): Promise<Agreement> {
  if (!(await configHasSessions(db, configName))) throw new AtlasError("not_found", `no session ran with config "${configName}"`);
  const rows = await labelledJudgements(db, configName);
  return agreementOf(
    rows.map((row) => ({ ...row, humanVerdict: row.humanVerdict === "good" || row.humanVerdict === "bad" ? row.humanVerdict : null })),
    threshold ?? (await savedRetryThreshold(db, configName)),
  );
}

async function savedRetryThreshold(db: Queryable, configName: string): Promise<number> {
  const version = await getLatestConfigVersionRow(db, configName);
  if (!version) return DEFAULT_RETRY_THRESHOLD;
  const parsed = parseConfigText(version.yaml);
  return parsed.ok ? parsed.config.orchestration.retry_threshold : DEFAULT_RETRY_THRESHOLD;
}
