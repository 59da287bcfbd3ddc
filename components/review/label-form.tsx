"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNotice } from "@/components/ui/error-notice";
import type { AtlasError } from "@/lib/errors";
import type { LabelRequest } from "@/lib/review/api-types";
import { labelsQuery, postLabel } from "@/lib/review/client";

const field = "mt-1 block rounded-md border border-slate-300 px-2 py-1 text-sm";

/** A human label on the session (no stepId) or on one step, with the labels already given. */
export function LabelForm({ sessionId, stepId, attempts = [] }: { sessionId: number; stepId?: number; attempts?: number[] }) {
  const client = useQueryClient();
  const labels = useQuery(labelsQuery(sessionId));
  const [score, setScore] = useState("");
  const [verdict, setVerdict] = useState<"" | "good" | "bad">("");
  const [preferred, setPreferred] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<AtlasError | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = (labels.data?.labels ?? []).filter((label) => (label.stepId ?? undefined) === stepId);
  const testId = stepId === undefined ? "session-label" : `step-label-${stepId}`;

  async function submit() {
    const label: LabelRequest = {
      ...(stepId === undefined ? {} : { stepId }),
      ...(score.trim() ? { score: Number(score) } : {}),
      ...(verdict ? { verdict } : {}),
      ...(preferred ? { preferredAttempt: Number(preferred) } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    setBusy(true);
    try {
      await postLabel(client, sessionId, label);
      setScore("");
      setVerdict("");
      setPreferred("");
      setNote("");
      setError(null);
    } catch (caught) {
      setError(caught as AtlasError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      data-testid={testId}
      className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p className="mb-2 text-xs font-medium text-slate-600">Human label {stepId === undefined ? "for the session" : `for step ${stepId}`}</p>
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-xs text-slate-500">
          Score 0–1
          <input className={`${field} w-20`} data-testid={`${testId}-score`} inputMode="decimal" value={score} onChange={(event) => setScore(event.target.value)} />
        </label>
        <label className="text-xs text-slate-500">
          Verdict
          <select className={field} data-testid={`${testId}-verdict`} value={verdict} onChange={(event) => setVerdict(event.target.value as "" | "good" | "bad")}>
            <option value="">—</option>
            <option value="good">good</option>
            <option value="bad">bad</option>
          </select>
        </label>
        {attempts.length > 1 ? (
          <label className="text-xs text-slate-500">
            Preferred attempt
            <select className={field} data-testid={`${testId}-preferred`} value={preferred} onChange={(event) => setPreferred(event.target.value)}>
              <option value="">—</option>
              {attempts.map((attempt) => (
                <option key={attempt} value={attempt}>
                  attempt {attempt}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="flex-1 text-xs text-slate-500">
          Note
          <input className={`${field} w-full`} data-testid={`${testId}-note`} value={note} onChange={(event) => setNote(event.target.value)} />
        </label>
        <Button type="submit" variant="secondary" disabled={busy} data-testid={`${testId}-save`}>
          Save label
        </Button>
      </div>
      {error ? <ErrorNotice error={error} title="The label was not saved" /> : null}
      {mine.length > 0 ? (
        <ul className="mt-2 space-y-1 text-xs text-slate-600" data-testid={`${testId}-list`}>
          {mine.map((label) => (
            <li key={label.id}>
              {[
                label.score !== null ? `score ${label.score}` : null,
                label.verdict,
                label.preferredAttempt !== null ? `prefers attempt ${label.preferredAttempt}` : null,
                label.note,
              ]
                .filter(Boolean)
                .join(" · ")}{" "}
              <span className="text-slate-400">— {label.labeler}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
