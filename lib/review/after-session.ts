/**
 * What follows a stored session, by its config's `runtime_safety` (without the section: nothing but recording
 * that the session is not gated). The export gate is recorded beside the session; the reward is checked for drift
 * against the recent sessions of the same config, and a flagged session is forced back to pending; a config that
 * does not require approval approves the others. Alerts go to the optional webhook. Never touches recorded events.
 */
import "server-only";
import type { AtlasConfig } from "@/lib/config";
import { changeReviewStatus, getReviewState, recentRewards, recentStatuses, recordDriftCheck, recordExportGate } from "@/lib/db/queries/reviews";
import { getSessionById } from "@/lib/db/queries/sessions";
import type { AtlasDb } from "@/lib/db/types";
import { checkDrift, type DriftCheck } from "./drift";
import { postAlert } from "./webhook";

export const AUTO_APPROVER = "atlas:auto (runtime_safety.review.require_approval is false)";
export const DRIFT_REVIEWER = "atlas:drift";

export interface AfterSessionOptions {
  /** Where alerts are posted (ATLAS_ALERT_WEBHOOK_URL); unset: none. */
  webhookUrl?: string;
}

export async function afterStoredSession(db: AtlasDb, sessionId: number, config: AtlasConfig, options: AfterSessionOptions = {}): Promise<void> {
  const safety = config.runtime_safety;
  await recordExportGate(db, { sessionId, exportStatuses: safety ? safety.review.default_export_statuses : null });
  if (!safety) return;
  const session = await getSessionById(db, { id: sessionId });
  if (!session) return;
  const scope = { sessionId, configName: session.configName, configHash: session.configHash, limit: safety.drift.window };

  let drift: DriftCheck | null = null;
  if (safety.drift.enabled && session.rewardScore !== null) {
    drift = checkDrift(session.rewardScore, await recentRewards(db, scope), safety.drift);
    await recordDriftCheck(db, { sessionId, drift, flagged: drift.flagged });
  }
  const state = await getReviewState(db, sessionId);
  if (drift?.flagged) {
    const note = `reward ${drift.value.toFixed(3)} drifted (${drift.reason}: z=${drift.z?.toFixed(2)}, MAD-z=${drift.madZ?.toFixed(2)}, threshold ${drift.threshold})`;
    if (state.status !== "pending" || state.history.length === 0) {
      await changeReviewStatus(db, { sessionId, status: "pending", reviewer: DRIFT_REVIEWER, note });
    }
    if (options.webhookUrl) await postAlert(options.webhookUrl, driftAlert(sessionId, session.configName, drift));
  } else if (!safety.review.require_approval && state.history.length === 0) {
    // A reviewer's decision is never overridden by the automatic approval.
    await changeReviewStatus(db, { sessionId, status: "approved", reviewer: AUTO_APPROVER, note: null });
  }

  if (options.webhookUrl && session.status === "failed" && safety.drift.enabled) {
    const statuses = await recentStatuses(db, scope);
    const failed = statuses.filter((status) => status === "failed").length;
    const rate = statuses.length === 0 ? 0 : failed / statuses.length;
    if (statuses.length >= safety.drift.min_baseline && rate >= safety.drift.failure_rate) {
      await postAlert(options.webhookUrl, {
        type: "atlas.failure_rate",
        sessionId,
        configName: session.configName,
        failed,
        window: statuses.length,
        rate: Number(rate.toFixed(4)),
        threshold: safety.drift.failure_rate,
        at: new Date().toISOString(),
      });
    }
  }
}

function driftAlert(sessionId: number, configName: string | null, drift: DriftCheck) {
  return {
    type: "atlas.drift_alert" as const,
    sessionId,
    configName,
    reward: drift.value,
    reason: drift.reason ?? "score_z",
    z: drift.z,
    madZ: drift.madZ,
    threshold: drift.threshold,
    window: { size: drift.window.length, mean: drift.mean, stddev: drift.stddev, median: drift.median, mad: drift.mad },
    reviewStatus: "pending" as const,
    at: new Date().toISOString(),
  };
}
