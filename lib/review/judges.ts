/** The Judges page's numbers for a config (and judgement version): agreement with human labels and per-judge behaviour. */
import "server-only";
import { parseConfigText } from "@/lib/config";
import { getLatestConfigVersionRow } from "@/lib/db/queries/configs";
import { getRejudge } from "@/lib/db/queries/judgements";
import { configHasSessions, judgePanels, labelledJudgements, rejudgedStepPairs } from "@/lib/db/queries/labels";
import type { Queryable } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import { agreementOf, spearman } from "./agreement";
import type { AgreementResponse } from "./api-types";
import { judgeStats } from "./judge-stats";

/** The retry threshold when neither the request nor a saved config gives one (the schema default). */
export const DEFAULT_RETRY_THRESHOLD = 0.6;

export interface AgreementOptions {
  threshold?: number;
  /** A re-judge's version; 0 (default) is the recorded judgement. */
  judgement?: number;
}

export async function judgeAgreement(db: Queryable, configName: string, options: AgreementOptions = {}): Promise<AgreementResponse> {
  if (!(await configHasSessions(db, configName))) throw new AtlasError("not_found", `no session ran with config "${configName}"`);
  const version = options.judgement ?? 0;
  if (version !== 0 && !(await getRejudge(db, version))) throw new AtlasError("not_found", `judgement version ${version} does not exist`);
  const threshold = options.threshold ?? (await savedRetryThreshold(db, configName));
  const rows = await labelledJudgements(db, configName, version);
  const agreement = agreementOf(
    rows.map((row) => ({ ...row, humanVerdict: row.humanVerdict === "good" || row.humanVerdict === "bad" ? row.humanVerdict : null })),
    threshold,
  );
  const pairs = version === 0 ? [] : await rejudgedStepPairs(db, configName, version);
  return {
    ...agreement,
    judgementVersion: version,
    judges: judgeStats(await judgePanels(db, configName, version), threshold),
    comparison:
      version === 0
        ? null
        : {
            pairs: pairs.length,
            meanAbsoluteChange:
              pairs.length === 0 ? null : Number((pairs.reduce((sum, pair) => sum + Math.abs(pair.rejudged - pair.recorded), 0) / pairs.length).toFixed(6)),
            spearman: spearman(pairs.map((pair) => pair.recorded), pairs.map((pair) => pair.rejudged)),
          },
  };
}

async function savedRetryThreshold(db: Queryable, configName: string): Promise<number> {
  const version = await getLatestConfigVersionRow(db, configName);
  if (!version) return DEFAULT_RETRY_THRESHOLD;
  const parsed = parseConfigText(version.yaml);
  return parsed.ok ? parsed.config.orchestration.retry_threshold : DEFAULT_RETRY_THRESHOLD;
}
