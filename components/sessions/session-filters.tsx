"use client";

import { REVIEW_STATUSES, type ReviewStatus } from "@/lib/review/api-types";
import type { FormEvent } from "react";
import { SESSION_STATUSES, type SessionStatus } from "@/lib/trajectory";
import { EMPTY_FILTERS, filterProblems, hasFilters, type SessionFilters } from "@/lib/session-view/list-filters";

/**
 * The filter form. Its fields start from the URL (the form is re-keyed when the URL changes) and a
 * submit writes them back to the URL; status boxes submit at once.
 */
export function SessionFiltersForm({
  filters,
  configNames,
  onApply,
}: {
  filters: SessionFilters;
  configNames: string[];
  onApply: (filters: SessionFilters) => void;
}) {
  const problems = filterProblems(filters);
  const problemOf = (field: keyof SessionFilters) => problems.find((problem) => problem.field === field)?.message;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply(readForm(new FormData(event.currentTarget)));
  }

  return (
    <form onSubmit={submit} aria-label="Filter sessions" data-testid="session-filters" className="mb-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-xs font-medium text-slate-600">Status</legend>
        {SESSION_STATUSES.map((status) => (
          <label key={status} className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              name="status"
              value={status}
              defaultChecked={filters.status.includes(status)}
              onChange={(event) => event.currentTarget.form?.requestSubmit()}
            />
            {status}
          </label>
        ))}
      </fieldset>
      <fieldset className="mt-2 flex flex-wrap gap-3">
        <legend className="mb-1 text-xs font-medium text-slate-600">Review</legend>
        {REVIEW_STATUSES.map((status) => (
          <label key={status} className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              name="review"
              value={status}
              data-testid={`filter-review-${status}`}
              defaultChecked={(filters.review ?? []).includes(status)}
              onChange={(event) => event.currentTarget.form?.requestSubmit()}
            />
            {status}
          </label>
        ))}
      </fieldset>
      <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-7">
        <Field label="Search task" problem={problemOf("q")} className="col-span-2">
          <input name="q" type="search" defaultValue={filters.q} placeholder="words in the task" className={INPUT} data-testid="filter-q" />
        </Field>
        <Field label="Config" problem={problemOf("config")}>
          <input name="config" list="session-config-names" defaultValue={filters.config} className={INPUT} data-testid="filter-config" />
          <datalist id="session-config-names">
            {configNames.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </Field>
        <Field label="From" problem={problemOf("from")}>
          <input name="from" type="date" defaultValue={filters.from.slice(0, 10)} className={INPUT} data-testid="filter-from" />
        </Field>
        <Field label="To" problem={problemOf("to")}>
          <input name="to" type="date" defaultValue={filters.to.slice(0, 10)} className={INPUT} data-testid="filter-to" />
        </Field>
        <Field label="Sort">
          <select
            name="sort"
            defaultValue={filters.sort}
            className={INPUT}
            data-testid="filter-sort"
            onChange={(event) => event.currentTarget.form?.requestSubmit()}
          >
            <option value="">newest first</option>
            <option value="cost">most expensive first</option>
          </select>
        </Field>
        <Field label="Reward (min–max)" problem={problemOf("minReward") ?? problemOf("maxReward")}>
          <div className="flex gap-1">
            <input name="minReward" inputMode="decimal" defaultValue={filters.minReward} placeholder="0" className={INPUT} aria-label="Minimum reward" data-testid="filter-min-reward" />
            <input name="maxReward" inputMode="decimal" defaultValue={filters.maxReward} placeholder="1" className={INPUT} aria-label="Maximum reward" data-testid="filter-max-reward" />
          </div>
        </Field>
      </div>
      <div className="mt-3 flex gap-2">
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700" data-testid="apply-filters">
          Apply filters
        </button>
        {hasFilters(filters) ? (
          <button
            type="button"
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
            onClick={() => onApply(EMPTY_FILTERS)}
          >
            Clear filters
          </button>
        ) : null}
      </div>
    </form>
  );
}

const INPUT = "w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

function Field({ label, problem, className = "", children }: { label: string; problem?: string; className?: string; children: React.ReactNode }) {
  return (
    <label className={`flex flex-col gap-1 text-xs font-medium text-slate-600 ${className}`}>
      {label}
      {children}
      {problem ? <span className="font-normal text-red-700">{problem}; ignored</span> : null}
    </label>
  );
}

function readForm(data: FormData): SessionFilters {
  const text = (name: string) => String(data.get(name) ?? "").trim();
  return {
    status: data.getAll("status").map(String) as SessionStatus[],
    config: text("config"),
    from: text("from"),
    to: text("to"),
    minReward: text("minReward"),
    maxReward: text("maxReward"),
    q: text("q"),
    review: data.getAll("review").map(String) as ReviewStatus[],
    sort: text("sort") === "cost" ? "cost" : "",
  };
}
