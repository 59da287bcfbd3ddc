"use client";

import { REVIEW_STATUSES } from "@/lib/review/api-types";
import { ALL_REVIEW_STATUSES } from "@/lib/export/filters";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { ErrorNotice } from "@/components/ui/error-notice";
import { Spinner } from "@/components/ui/spinner";
import type { AtlasError } from "@/lib/errors";
import type { ExportFormat } from "@/lib/export/filters";
import { SESSION_STATUSES } from "@/lib/trajectory";
import { launchConfigsQuery } from "@/lib/session-view/queries";
import { emptyExportForm, exportCliCommand, exportFormFromParams, parseExportForm, type ExportFormValues } from "./form-state";
import { ImportPanel } from "./import-panel";
import { exportCountQuery } from "./queries";

const FORMATS: { value: ExportFormat; label: string; hint: string }[] = [
  { value: "sessions", label: "Sessions", hint: "one line per session: the upstream Atlas record (plan, steps, rewards, events)" },
  { value: "steps", label: "Steps", hint: "one line per step: the trainer's flattened view" },
  { value: "pairs", label: "Preference pairs", hint: "one line per retried step that ended accepted: rejected vs accepted attempt" },
];

/** Filters → live count → download. The form starts from the URL (`/export?status=failed`). */
export function ExportWorkspace() {
  const params = useSearchParams();
  const [values, setValues] = useState<ExportFormValues>(() => exportFormFromParams(new URLSearchParams(params.toString())));
  const parsed = useMemo(() => parseExportForm(values), [values]);
  const query = parsed.ok ? parsed.query : null;
  const debouncedQuery = useDebounced(query, 300);
  const count = useQuery({ ...exportCountQuery(debouncedQuery ?? ""), enabled: debouncedQuery !== null });
  const configs = useQuery(launchConfigsQuery());
  const set = <K extends keyof ExportFormValues>(key: K, value: ExportFormValues[K]) => setValues((current) => ({ ...current, [key]: value }));
  const counting = query !== debouncedQuery || count.isFetching;
  // The filters live in the URL, so a reload or a shared link opens the same export.
  useEffect(() => {
    if (query === null) return;
    const target = `${window.location.pathname}${query ? `?${query}` : ""}`;
    if (target !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", target);
  }, [query]);

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card title="Which sessions" className="lg:col-span-2">
        <form className="space-y-4" data-testid="export-filters" onSubmit={(event) => event.preventDefault()}>
          <fieldset className="flex flex-wrap gap-3">
            <legend className="mb-1 text-xs font-medium text-slate-600">Status (none ticked: every status)</legend>
            {SESSION_STATUSES.map((status) => (
              <label key={status} className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={values.statuses.includes(status)}
                  onChange={(event) =>
                    set("statuses", event.currentTarget.checked ? [...values.statuses, status] : values.statuses.filter((item) => item !== status))
                  }
                />
                {status}
              </label>
            ))}
          </fieldset>
          <fieldset className="flex flex-wrap gap-3" data-testid="export-review-status">
            <legend className="mb-1 text-xs font-medium text-slate-600">
              Review status (none ticked: what each session&apos;s config asks for — approved when runtime_safety.review is set)
            </legend>
            {[...REVIEW_STATUSES, ALL_REVIEW_STATUSES].map((status) => (
              <label key={status} className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  data-testid={`export-review-${status}`}
                  checked={values.reviewStatuses.includes(status)}
                  onChange={(event) =>
                    set(
                      "reviewStatuses",
                      event.currentTarget.checked ? [...values.reviewStatuses, status] : values.reviewStatuses.filter((item) => item !== status),
                    )
                  }
                />
                {status === ALL_REVIEW_STATUSES ? "all (gate off)" : status}
              </label>
            ))}
          </fieldset>
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
            <Field label="Judgement version (re-judge id; blank: as recorded)">
              <input
                inputMode="numeric"
                value={values.judgementVersion}
                onChange={(event) => set("judgementVersion", event.currentTarget.value)}
                className={INPUT}
                data-testid="export-judgement-version"
              />
            </Field>
            <Field label="Task contains">
              <input type="search" value={values.q} onChange={(event) => set("q", event.currentTarget.value)} className={INPUT} data-testid="export-q" />
            </Field>
            <Field label="Config">
              <input list="export-config-names" value={values.config} onChange={(event) => set("config", event.currentTarget.value)} className={INPUT} data-testid="export-config" />
              <datalist id="export-config-names">
                {(configs.data?.configs ?? []).map((config) => (
                  <option key={config.name} value={config.name} />
                ))}
              </datalist>
            </Field>
            <Field label="Minimum session reward">
              <input inputMode="decimal" placeholder="e.g. 0.7" value={values.minReward} onChange={(event) => set("minReward", event.currentTarget.value)} className={INPUT} data-testid="export-min-reward" />
            </Field>
            <Field label="Created on or after">
              <input type="date" value={values.since.slice(0, 10)} onChange={(event) => set("since", event.currentTarget.value)} className={INPUT} data-testid="export-since" />
            </Field>
            <Field label="Created before">
              <input type="date" value={values.until.slice(0, 10)} onChange={(event) => set("until", event.currentTarget.value)} className={INPUT} data-testid="export-until" />
            </Field>
            <Field label="Session ids (exactly these)">
              <input placeholder="12, 15" value={values.sessionIds} onChange={(event) => set("sessionIds", event.currentTarget.value)} className={INPUT} data-testid="export-session-ids" />
            </Field>
            <Field label="Limit (newest first)">
              <input inputMode="numeric" placeholder="all" value={values.limit} onChange={(event) => set("limit", event.currentTarget.value)} className={INPUT} data-testid="export-limit" />
            </Field>
            <Field label="Offset">
              <input inputMode="numeric" placeholder="0" value={values.offset} onChange={(event) => set("offset", event.currentTarget.value)} className={INPUT} data-testid="export-offset" />
            </Field>
            <Field label="Events per session (latest; 0 = 1000)">
              <input inputMode="numeric" value={values.trajectoryEventLimit} onChange={(event) => set("trajectoryEventLimit", event.currentTarget.value)} className={INPUT} data-testid="export-event-limit" />
            </Field>
          </div>
          <button type="button" className="text-sm text-blue-700 hover:underline" onClick={() => setValues({ ...emptyExportForm(), format: values.format })}>
            Clear filters
          </button>
        </form>
      </Card>

      <div className="space-y-6">
        <Card title="Download">
          <fieldset className="space-y-2">
            <legend className="mb-1 text-xs font-medium text-slate-600">Format</legend>
            {FORMATS.map((format) => (
              <label key={format.value} className="flex items-start gap-2 text-sm">
                <input type="radio" name="format" className="mt-1" checked={values.format === format.value} onChange={() => set("format", format.value)} data-testid={`export-format-${format.value}`} />
                <span>
                  <span className="font-medium">{format.label}</span>
                  <span className="block text-xs text-slate-500">{format.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>

          <div className="mt-4 text-sm" data-testid="export-count" aria-live="polite">
            {!parsed.ok ? null : count.isError ? (
              <ErrorNotice error={count.error as AtlasError} title="Could not count the sessions" />
            ) : count.data && !counting ? (
              <p>
                <strong>{count.data.sessions.toLocaleString("en-US")}</strong> session{count.data.sessions === 1 ? "" : "s"},{" "}
                <strong>{count.data.steps.toLocaleString("en-US")}</strong> step{count.data.steps === 1 ? "" : "s"} match
                {values.format === "sessions" ? "." : (
                  <>
                    : the download has <strong data-testid="export-line-count">{count.data.lines.toLocaleString("en-US")}</strong>{" "}
                    {values.format === "steps" ? "step line" : "preference pair"}
                    {count.data.lines === 1 ? "" : "s"}.
                  </>
                )}
              </p>
            ) : (
              <p className="flex items-center gap-2 text-slate-600">
                <Spinner label="counting" /> Counting…
              </p>
            )}
          </div>
          {parsed.ok ? null : <ErrorNotice error={{ message: "Fix these fields to export:", issues: parsed.issues }} />}

          <div className="mt-4">
            {parsed.ok && (count.data?.sessions ?? 1) > 0 ? (
              <a
                href={`/api/export${parsed.query ? `?${parsed.query}` : ""}`}
                download
                data-testid="export-download"
                className="inline-flex items-center gap-2 rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-700"
              >
                Download JSONL
              </a>
            ) : (
              <span aria-disabled="true" data-testid="export-download" className="inline-flex cursor-not-allowed rounded-md bg-slate-400 px-3 py-2 text-sm font-medium text-white">
                Download JSONL
              </span>
            )}
            <p className="mt-2 text-xs text-slate-500">Streamed from the database as it downloads; large exports start at once.</p>
          </div>
          {parsed.ok ? (
            <details className="mt-4 text-xs">
              <summary className="cursor-pointer text-slate-600">Same export from a terminal</summary>
              <code className="mt-2 block break-all rounded bg-slate-100 p-2 font-mono text-slate-800" data-testid="export-cli">
                {exportCliCommand(parsed.filters)}
              </code>
            </details>
          ) : null}
        </Card>
        <ImportPanel />
      </div>
    </div>
  );
}

const INPUT = "w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
      {label}
      {children}
    </label>
  );
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
