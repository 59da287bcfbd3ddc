"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { REVIEW_STATUSES, type ReviewStatus } from "@/lib/review/api-types";
import { filterProblems, type SessionFilters } from "@/lib/session-view/list-filters";

const input = "mt-1 w-28 rounded-md border border-slate-300 px-2 py-1 text-sm";

/** The queue's filter: review status, config, experiment, reward range, drift-flagged, escalated. */
export function QueueFilters({ filters, onApply }: { filters: SessionFilters; onApply: (next: SessionFilters) => void }) {
  const [draft, setDraft] = useState(filters);
  const problems = filterProblems(draft);
  const set = (patch: Partial<SessionFilters>) => setDraft({ ...draft, ...patch });
  const toggleStatus = (status: ReviewStatus) => {
    const current = draft.review ?? [];
    set({ review: current.includes(status) ? current.filter((item) => item !== status) : [...current, status] });
  };
  return (
    <form
      data-testid="queue-filters"
      className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm"
      onSubmit={(event) => {
        event.preventDefault();
        if (problems.length === 0) onApply(draft);
      }}
    >
      <fieldset className="flex gap-2">
        <legend className="text-xs text-slate-500">Review status</legend>
        {REVIEW_STATUSES.map((status) => (
          <label key={status} className="flex items-center gap-1">
            <input type="checkbox" checked={(draft.review ?? []).includes(status)} onChange={() => toggleStatus(status)} />
            {status}
          </label>
        ))}
      </fieldset>
      <label className="text-xs text-slate-500">
        Config
        <input className={`${input} block`} value={draft.config} onChange={(event) => set({ config: event.target.value })} />
      </label>
      <label className="text-xs text-slate-500">
        Experiment
        <input className={`${input} block`} value={draft.experiment ?? ""} onChange={(event) => set({ experiment: event.target.value })} />
      </label>
      <label className="text-xs text-slate-500">
        Reward from
        <input className={`${input} block`} value={draft.minReward} onChange={(event) => set({ minReward: event.target.value })} />
      </label>
      <label className="text-xs text-slate-500">
        to
        <input className={`${input} block`} value={draft.maxReward} onChange={(event) => set({ maxReward: event.target.value })} />
      </label>
      <label className="flex items-center gap-1">
        <input type="checkbox" checked={draft.drift === "flagged"} onChange={(event) => set({ drift: event.target.checked ? "flagged" : "" })} />
        drift-flagged only
      </label>
      <label className="flex items-center gap-1">
        <input type="checkbox" checked={draft.escalated === "true"} onChange={(event) => set({ escalated: event.target.checked ? "true" : "" })} />
        escalated only
      </label>
      <Button type="submit" variant="secondary" disabled={problems.length > 0}>
        Apply
      </Button>
      {problems.length > 0 ? (
        <p role="alert" className="w-full text-xs text-red-700">
          {problems.map((problem) => `${problem.field}: ${problem.message}`).join("; ")}
        </p>
      ) : null}
    </form>
  );
}
