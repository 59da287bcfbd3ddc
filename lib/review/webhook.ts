/** Posts an alert to ATLAS_ALERT_WEBHOOK_URL: JSON, one attempt, bounded in time; a failure is logged, never thrown. */
import "server-only";

export const WEBHOOK_TIMEOUT_MS = 5000;

export type AlertBody =
  | {
      type: "atlas.drift_alert";
      sessionId: number;
      configName: string | null;
      reward: number;
      reason: string;
      z: number | null;
      madZ: number | null;
      threshold: number;
      window: { size: number; mean: number | null; stddev: number | null; median: number | null; mad: number | null };
      reviewStatus: "pending";
      at: string;
    }
  | {
      type: "atlas.failure_rate";
      sessionId: number;
      configName: string | null;
      failed: number;
      window: number;
      rate: number;
      threshold: number;
      at: string;
    };

/** True when the receiver answered 2xx. */
export async function postAlert(url: string, body: AlertBody, log: (message: string) => void = console.warn): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "atlas-alerts" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.ok) return true;
    log(`alert webhook answered ${response.status} for ${body.type} of session ${body.sessionId}`);
  } catch (error) {
    log(`alert webhook failed for ${body.type} of session ${body.sessionId}: ${(error as Error).message}`);
  }
  return false;
}
