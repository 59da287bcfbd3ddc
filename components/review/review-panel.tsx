"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNotice } from "@/components/ui/error-notice";
import { formatTimestamp } from "@/components/ui/format";
import type { AtlasError } from "@/lib/errors";
import type { ReviewStatus } from "@/lib/review/api-types";
import { invalidateSessionLists, postReview, reviewQuery } from "@/lib/review/client";
import { DriftChart } from "./drift-chart";
import { LabelForm } from "./label-form";
import { RejudgeForm } from "./rejudge-form";
import { ReviewBadge } from "./review-badge";

/** The session's review status with its history, the review actions and the session-level label. */
export function ReviewPanel({ sessionId, configName = null }: { sessionId: number; configName?: string | null }) {
  const client = useQueryClient();
  const review = useQuery(reviewQuery(sessionId));
  const [note, setNote] = useState("");
  const [error, setError] = useState<AtlasError | null>(null);
  async function set(status: ReviewStatus) {
    try {
      await postReview(client, sessionId, status, note);
      setNote("");
      setError(null);
      void invalidateSessionLists(client);
    } catch (caught) {
      setError(caught as AtlasError);
    }
  }
  return (
    <section data-testid="review-panel" aria-label="Review" className="mb-6 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-semibold text-slate-900">Review</h2>
        {review.data ? <ReviewBadge status={review.data.reviewStatus} driftFlagged={review.data.driftFlagged} testId="review-status" /> : null}
        <input
          aria-label="Review note"
          data-testid="review-note"
          placeholder="note (optional)"
          value={note}
          onChange={(event) => setNote(event.target.value)}
          className="min-w-48 flex-1 rounded-md border border-slate-300 px-2 py-1"
        />
        <Button data-testid="review-approve" onClick={() => void set("approved")}>
          Approve
        </Button>
        <Button data-testid="review-quarantine" variant="danger" onClick={() => void set("quarantined")}>
          Quarantine
        </Button>
        <Button data-testid="review-reset" variant="secondary" onClick={() => void set("pending")}>
          Back to pending
        </Button>
      </div>
      {error ? <ErrorNotice error={error} title="The review was not saved" /> : null}
      {review.data && review.data.history.length > 0 ? (
        <ol className="mt-2 space-y-0.5 text-xs text-slate-600" data-testid="review-history">
          {review.data.history.map((entry, index) => (
            <li key={index}>
              {formatTimestamp(entry.at)} · {entry.reviewer}: {entry.previousStatus} → {entry.status}
              {entry.note ? ` — ${entry.note}` : ""}
            </li>
          ))}
        </ol>
      ) : null}
      {review.data?.drift ? <DriftChart drift={review.data.drift} /> : null}
      <div className="mt-3">
        <LabelForm sessionId={sessionId} />
      </div>
      <RejudgeForm sessionId={sessionId} defaultConfig={configName} />
    </section>
  );
}
