/** Groups a page's rows (lib/db/queries/export.ts) into one bundle per session, in the page's order. */
import type { PageRows } from "@/lib/db/queries/export";
import { RawJson } from "./raw-json";
import type { SessionBundle, SessionRowForExport, StepRowForExport } from "./types";

export function bundlesOf(page: SessionRowForExport[], rows: PageRows): SessionBundle[] {
  const bundles = new Map<number, SessionBundle>(
    page.map((session) => [session.id, { session, steps: [], events: [], eventTotal: 0 }]),
  );
  const stepIndex = new Map<string, StepRowForExport>();
  for (const { sessionId, ...step } of rows.steps) {
    const row: StepRowForExport = { ...step, attemptRows: [], guidance: [] };
    bundles.get(sessionId)?.steps.push(row);
    stepIndex.set(`${sessionId}:${step.stepId}`, row);
  }
  for (const { sessionId, stepId, ...attempt } of rows.attempts) stepIndex.get(`${sessionId}:${stepId}`)?.attemptRows.push(attempt);
  for (const { sessionId, stepId, ...note } of rows.guidance) stepIndex.get(`${sessionId}:${stepId}`)?.guidance.push(note);
  // Events stay JSON text: the exporter needs only their type and name, not their objects.
  for (const { sessionId, eventText, ...event } of rows.events) {
    bundles.get(sessionId)?.events.push({ ...event, event: new RawJson(eventText) });
  }
  for (const { sessionId, total } of rows.totals) {
    const bundle = bundles.get(sessionId);
    if (bundle) bundle.eventTotal = total;
  }
  for (const session of page) {
    bundles.get(session.id)!.review = { status: session.reviewStatus ?? "pending", notes: session.reviewNotes ?? null, labels: [] };
  }
  for (const { sessionId, ...label } of rows.labels) bundles.get(sessionId)?.review?.labels.push(label);
  return page.map((session) => bundles.get(session.id)!);
}
