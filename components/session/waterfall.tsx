"use client";

import { useQuery } from "@tanstack/react-query";
import { memo, useCallback, useMemo, useState } from "react";
import { Card } from "@/components/ui/card";
import { formatDuration } from "@/components/ui/format";
import { useNow } from "@/components/ui/use-now";
import { callTitle, sessionUsageQuery, stepCallsQuery } from "@/lib/session-view/calls";
import { callSpan, placement, type Span, type WaterfallStep, waterfallLayout } from "@/lib/session-view/waterfall";
import type { CallSummary } from "@/lib/sessions/api-types";
import type { StepDetail } from "@/lib/trajectory";
import { useTrace } from "./trace-context";

/**
 * Steps, attempts and calls as bars on one time axis: parallel steps, the judges' parallel samples and
 * the slowest call at a glance. A row shows its step and attempts; opening it draws the step's calls,
 * and clicking a call opens it in the step list below.
 */
export function Waterfall({
  steps,
  startedAt,
  completedAt,
  active,
}: {
  steps: readonly StepDetail[];
  startedAt: string | null;
  completedAt: string | null;
  active: boolean;
}) {
  const ticking = useNow(active);
  // Unfinished bars run to now while the session runs, else to its end (a stopped one: no further than they got).
  const until = ticking ?? (completedAt ? Date.parse(completedAt) : 0);
  const layout = useMemo(() => waterfallLayout(steps, startedAt, until), [steps, startedAt, until]);
  const usage = useQuery(sessionUsageQuery(useTrace().sessionId, active));
  const slowest = usage.data?.slowest ?? null;
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set());
  // Stable, so the memoised rows skip re-rendering when only an opened call changes.
  const toggle = useCallback(
    (stepId: number) =>
      setOpen((current) => {
        const next = new Set(current);
        if (next.has(stepId)) next.delete(stepId);
        else next.add(stepId);
        return next;
      }),
    [],
  );
  if (layout.steps.length === 0) return null;
  return (
    <Card title={<WaterfallTitle total={layout.total} slowest={slowest} />} className="mb-6">
      <ol data-testid="waterfall" data-total-ms={layout.total} className="space-y-0.5 text-xs">
        {layout.steps.map((row) => (
          <WaterfallRow key={row.stepId} row={row} total={layout.total} origin={layout.origin} open={open.has(row.stepId)} onToggle={toggle} active={active} />
        ))}
      </ol>
    </Card>
  );
}

function WaterfallTitle({ total, slowest }: { total: number; slowest: CallSummary | null }) {
  const { goTo } = useTrace();
  return (
    <span className="flex flex-wrap items-center gap-3">
      Waterfall <span className="font-normal text-slate-500">{formatDuration(total)} in all</span>
      {slowest ? (
        <button
          type="button"
          data-testid="waterfall-slowest"
          className="ml-auto font-normal text-blue-700 hover:underline"
          onClick={() => slowest.stepId !== null && goTo({ stepId: slowest.stepId, attempt: slowest.attempt, callId: slowest.attempt === null ? null : slowest.id })}
        >
          slowest call: {callTitle(slowest)}
          {slowest.stepId !== null ? ` (step ${slowest.stepId})` : ""}, {formatDuration(slowest.latencyMs)}
        </button>
      ) : null}
    </span>
  );
}

const OUTCOME_COLOUR: Record<string, string> = { accepted: "bg-emerald-500", retry: "bg-amber-400", failed: "bg-red-500", cancelled: "bg-slate-400" };

const WaterfallRow = memo(function WaterfallRow({
  row,
  total,
  origin,
  open,
  onToggle,
  active,
}: {
  row: WaterfallStep;
  total: number;
  origin: number;
  open: boolean;
  onToggle: (stepId: number) => void;
  active: boolean;
}) {
  return (
    <li data-testid={`waterfall-step-${row.stepId}`} data-start-ms={row.span?.start ?? ""} data-end-ms={row.span?.end ?? ""} className="[content-visibility:auto] [contain-intrinsic-size:auto_20px]">
      <div className="flex items-center gap-2">
        <button
          type="button"
          aria-expanded={open}
          onClick={() => onToggle(row.stepId)}
          className="w-14 shrink-0 text-left font-mono text-slate-600 hover:text-blue-700"
          title={row.description}
        >
          {open ? "▾" : "▸"} #{row.stepId}
        </button>
        <Track>
          {row.span ? <Bar span={row.span} total={total} className="bg-slate-200" title={`step ${row.stepId}: ${formatDuration(row.span.end - row.span.start)}`} /> : null}
          {row.attempts.map((attempt) => (
            <Bar
              key={attempt.attempt}
              span={attempt.span}
              total={total}
              testId={`waterfall-attempt-${row.stepId}-${attempt.attempt}`}
              className={`top-1 bottom-1 ${OUTCOME_COLOUR[attempt.outcome ?? ""] ?? "bg-blue-400"}`}
              title={`attempt ${attempt.attempt} (${attempt.outcome ?? "running"}): ${formatDuration(attempt.span.end - attempt.span.start)}`}
            />
          ))}
        </Track>
      </div>
      {open ? <StepCalls stepId={row.stepId} total={total} origin={origin} active={active && row.status === "running"} /> : null}
    </li>
  );
});

const ROLE_COLOUR: Record<string, string> = {
  student: "bg-sky-500",
  teacher: "bg-violet-500",
  judges: "bg-teal-500",
  arbiter: "bg-rose-500",
  other: "bg-slate-500",
};

function StepCalls({ stepId, total, origin, active }: { stepId: number; total: number; origin: number; active: boolean }) {
  const { sessionId, goTo } = useTrace();
  const calls = useQuery(stepCallsQuery(sessionId, stepId, active));
  if (calls.isPending) return <p className="pl-16 text-slate-500">Loading the calls…</p>;
  if (calls.isError) return <p className="pl-16 text-red-700">Could not load the calls: {calls.error.message}</p>;
  return (
    <ol className="mb-1 space-y-px" data-testid={`waterfall-calls-${stepId}`}>
      {calls.data.calls.map((call) => {
        const span = callSpan(call, origin);
        const colour = call.kind === "agent" ? "bg-indigo-400" : (ROLE_COLOUR[call.role] ?? "bg-slate-500");
        return (
          <li key={call.id} className="flex items-center gap-2">
            <span className="w-14 shrink-0 truncate pl-4 text-[10px] text-slate-500" title={callTitle(call)}>
              {call.attempt !== null ? `a${call.attempt}` : ""}
            </span>
            <Track thin>
              <button
                type="button"
                data-testid={`waterfall-call-${call.id}`}
                data-stage={call.stage}
                data-start-ms={span.start}
                data-end-ms={span.end}
                title={`${callTitle(call)}: ${formatDuration(call.latencyMs)}`}
                onClick={() => call.attempt !== null && goTo({ stepId, attempt: call.attempt, callId: call.id })}
                className={`absolute top-0 bottom-0 rounded-sm ${colour} ${call.error ? "ring-2 ring-red-600" : ""} hover:opacity-75`}
                style={style(span, total)}
              />
            </Track>
          </li>
        );
      })}
    </ol>
  );
}

function Track({ children, thin = false }: { children: React.ReactNode; thin?: boolean }) {
  return <div className={`relative flex-1 rounded bg-slate-50 ${thin ? "h-2" : "h-4"}`}>{children}</div>;
}

function Bar({ span, total, className, title, testId }: { span: Span; total: number; className: string; title: string; testId?: string }) {
  return <div data-testid={testId} title={title} className={`absolute top-0 bottom-0 rounded-sm ${className}`} style={style(span, total)} />;
}

function style(span: Span, total: number): React.CSSProperties {
  const { left, width } = placement(span, total);
  return { left: `${left}%`, width: `${width}%` };
}
