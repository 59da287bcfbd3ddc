"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNotice } from "@/components/ui/error-notice";
import type { AtlasError } from "@/lib/errors";
import type { ReviewStatus } from "@/lib/review/api-types";
import { invalidateSessionLists, postReview } from "@/lib/review/client";

/** Approve or quarantine every ticked session, one review each (each gets its own history entry). */
export function BulkReviewBar({ selected, onDone }: { selected: ReadonlySet<number>; onDone: () => void }) {
  const client = useQueryClient();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AtlasError | null>(null);
  const [message, setMessage] = useState("");
  async function apply(status: ReviewStatus) {
    setBusy(true);
    setError(null);
    let done = 0;
    try {
      for (const sessionId of selected) {
        await postReview(client, sessionId, status, note);
        done += 1;
      }
      setMessage(`${done} session${done === 1 ? "" : "s"} ${status}.`);
      setNote("");
      onDone();
    } catch (caught) {
      setError(caught as AtlasError);
      setMessage(`${done} of ${selected.size} ${status} before the error.`);
    } finally {
      setBusy(false);
      void invalidateSessionLists(client);
    }
  }
  return (
    <div data-testid="bulk-review" className="mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-600">
      <span>{selected.size} selected</span>
      <input
        aria-label="Note for the selected sessions"
        placeholder="note (optional)"
        value={note}
        onChange={(event) => setNote(event.target.value)}
        className="rounded-md border border-slate-300 px-2 py-1"
      />
      <Button data-testid="bulk-approve" disabled={busy || selected.size === 0} onClick={() => void apply("approved")}>
        Approve selected
      </Button>
      <Button data-testid="bulk-quarantine" variant="danger" disabled={busy || selected.size === 0} onClick={() => void apply("quarantined")}>
        Quarantine selected
      </Button>
      {message ? <span data-testid="bulk-message">{message}</span> : null}
      {error ? <ErrorNotice error={error} title="Not every review was saved" /> : null}
    </div>
  );
}
