"use client";

import { JudgementVersions } from "@/components/review/judgement-versions";
import { LabelForm } from "@/components/review/label-form";
import { useQuery } from "@tanstack/react-query";
import { memo, useEffect, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Elapsed } from "@/components/ui/elapsed";
import { formatScore } from "@/components/ui/format";
import { Spinner } from "@/components/ui/spinner";
import { StatusBadge } from "@/components/ui/status-badge";
import { TextBlock } from "@/components/ui/text-block";
import { mergeExtras } from "@/lib/session-view/extras";
import { sessionExtrasQuery, stepDetailQuery } from "@/lib/session-view/queries";
import { withFetchedEvaluations } from "@/lib/session-view/step-detail";
import type { StepRow } from "@/lib/session-view/timeline";
import type { ExtrasIndex, SessionView } from "@/lib/session-view/types";
import { attemptKey } from "@/lib/session-view/types";
import { AttemptCard } from "./attempt-card";
import { useTrace } from "./trace-context";

interface TimelineProps {
  sessionId: number;
  rows: StepRow[];
  expanded: ReadonlySet<number>;
  onToggle: (stepId: number) => void;
  rim: SessionView["session"]["rim"];
  liveExtras: ExtrasIndex;
  sessionActive: boolean;
  /** Seq of the snapshot the page loaded: older extras come from the event log on demand. */
  loadedAtSeq: number;
}

/**
 * One collapsed row per step (cheap for hundreds of steps); a row renders its attempts only when
 * expanded. Rows are memoised on their step object, which the reducer keeps when an event does not
 * touch the step.
 */
export function StepTimeline(props: TimelineProps) {
  const { rows } = props;
  const anyExpanded = props.expanded.size > 0;
  const history = useQuery({ ...sessionExtrasQuery(props.sessionId, props.loadedAtSeq), enabled: anyExpanded && props.loadedAtSeq > 0 });
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          Steps <Badge>{rows.length}</Badge>
        </span>
      }
      className="mb-6"
    >
      {rows.length === 0 ? (
        <p data-testid="steps-pending" className="text-sm text-slate-500">
          {props.sessionActive ? "Steps appear here once the plan is reviewed." : "This session has no steps."}
        </p>
      ) : (
        <ol data-testid="step-list" className="divide-y divide-slate-100">
          {rows.map((row) => (
            <StepRowView
              key={row.stepId}
              sessionId={props.sessionId}
              row={row}
              detail={row.detail}
              expanded={props.expanded.has(row.stepId)}
              onToggle={props.onToggle}
              rim={props.rim}
              liveExtras={props.expanded.has(row.stepId) ? props.liveExtras : null}
              historyExtras={props.expanded.has(row.stepId) ? (history.data ?? null) : null}
              extrasLoading={history.isFetching}
              sessionActive={props.sessionActive}
            />
          ))}
        </ol>
      )}
    </Card>
  );
}

interface RowProps {
  sessionId: number;
  row: StepRow;
  detail: StepRow["detail"];
  expanded: boolean;
  onToggle: (stepId: number) => void;
  rim: SessionView["session"]["rim"];
  liveExtras: ExtrasIndex | null;
  historyExtras: ExtrasIndex | null;
  extrasLoading: boolean;
  sessionActive: boolean;
}

const StepRowView = memo(
  function StepRowView({ sessionId, row, detail, expanded, onToggle, rim, liveExtras, historyExtras, extrasLoading, sessionActive }: RowProps) {
    const attempts = detail?.attemptDetails ?? [];
    const running = row.status === "running" && sessionActive;
    return (
      <li data-testid={`step-${row.stepId}`} data-status={row.status} id={`step-${row.stepId}`} className={expanded ? undefined : "[content-visibility:auto] [contain-intrinsic-size:auto_44px]"}>
        <button
          type="button"
          aria-expanded={expanded}
          onClick={() => onToggle(row.stepId)}
          className="flex w-full items-center gap-3 px-1 py-2.5 text-left hover:bg-slate-50"
        >
          <span aria-hidden className="w-3 text-slate-400">
            {expanded ? "▾" : "▸"}
          </span>
          <span className="w-10 shrink-0 font-mono text-xs text-slate-500">#{row.stepId}</span>
          <StatusBadge status={row.status} testId="step-status" />
          <span className="min-w-0 flex-1 truncate text-sm text-slate-800" title={row.description}>
            {row.description}
          </span>
          {running ? <Spinner label={`step ${row.stepId} running`} className="text-blue-600" /> : null}
          {attempts.length > 1 ? (
            <Badge tone="warn" testId="attempt-count" title={`${attempts.length} attempts`}>
              {attempts.length} attempts
            </Badge>
          ) : null}
          {row.dependsOn.length > 0 ? <span className="hidden text-xs text-slate-400 sm:inline">after {row.dependsOn.join(", ")}</span> : null}
          <span className="w-20 text-right text-xs text-slate-600">
            reward <span data-testid="step-reward">{formatScore(detail?.rewardScore ?? null)}</span>
          </span>
          <span className="w-16 text-right text-xs text-slate-500">
            <Elapsed since={detail?.startedAt ?? null} until={detail?.completedAt ?? null} running={running} />
          </span>
        </button>
        {expanded ? (
          <StepBody
            sessionId={sessionId}
            row={row}
            rim={rim}
            liveExtras={liveExtras ?? {}}
            historyExtras={historyExtras ?? {}}
            extrasLoading={extrasLoading}
            sessionActive={sessionActive}
          />
        ) : null}
      </li>
    );
  },
  (before, after) =>
    before.detail === after.detail &&
    before.row.status === after.row.status &&
    before.row.description === after.row.description &&
    before.expanded === after.expanded &&
    before.rim === after.rim &&
    before.sessionActive === after.sessionActive &&
    (!after.expanded ||
      (before.liveExtras === after.liveExtras && before.historyExtras === after.historyExtras && before.extrasLoading === after.extrasLoading)),
);

function StepBody({
  sessionId,
  row,
  rim,
  liveExtras,
  historyExtras,
  extrasLoading,
  sessionActive,
}: {
  sessionId: number;
  row: StepRow;
  rim: SessionView["session"]["rim"];
  liveExtras: ExtrasIndex;
  historyExtras: ExtrasIndex;
  extrasLoading: boolean;
  sessionActive: boolean;
}) {
  const { target } = useTrace();
  const latestAttempt = row.detail?.attemptDetails.at(-1)?.attempt ?? null;
  // A permalink to an earlier attempt (or one of its calls) shows the earlier attempts.
  const namesEarlier = target?.stepId === row.stepId && target.attempt !== null && latestAttempt !== null && target.attempt < latestAttempt;
  const [showEarlier, setShowEarlier] = useState(namesEarlier);
  useEffect(() => {
    if (namesEarlier) setShowEarlier(true);
  }, [namesEarlier, target]);
  const omitted = row.detail?.evaluationsOmitted === true;
  const full = useQuery({ ...stepDetailQuery(sessionId, row.stepId), enabled: omitted });
  const detail = useMemo(
    () => (row.detail && omitted && full.data ? withFetchedEvaluations(row.detail, full.data) : row.detail),
    [row.detail, omitted, full.data],
  );
  if (!detail) {
    return (
      <p data-testid={`step-${row.stepId}-pending`} className="px-8 pb-3 text-sm text-slate-500">
        Not started yet{row.dependsOn.length ? `: waits for step ${row.dependsOn.join(", ")}` : ""}.
      </p>
    );
  }
  if (omitted && full.isPending) {
    return (
      <p data-testid={`step-${row.stepId}-loading`} className="flex items-center gap-2 px-8 pb-3 text-sm text-slate-500">
        <Spinner label={`loading step ${row.stepId}`} /> Loading verdicts and judges…
      </p>
    );
  }
  const attempts = detail.attemptDetails;
  const latest = attempts.at(-1);
  const earlier = attempts.slice(0, -1);
  const card = (index: number) => {
    const attempt = attempts[index];
    if (!attempt) return null;
    const key = attemptKey(detail.stepId, attempt.attempt);
    return (
      <AttemptCard
        key={attempt.attempt}
        step={detail}
        attempt={attempt}
        previous={index > 0 ? (attempts[index - 1] ?? null) : null}
        extras={mergeExtras(historyExtras[key], liveExtras[key])}
        extrasLoading={extrasLoading}
        rim={rim}
        sessionActive={sessionActive}
      />
    );
  };
  return (
    <div className="space-y-3 pb-4 pl-8">
      <p className="text-sm whitespace-pre-wrap text-slate-700">{detail.description}</p>
      {omitted && full.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Could not load this step&apos;s verdicts and judges: {full.error.message}
        </p>
      ) : null}
      {earlier.length > 0 ? (
        <div>
          <button
            type="button"
            data-testid={`earlier-attempts-${detail.stepId}`}
            onClick={() => setShowEarlier(!showEarlier)}
            className="inline-flex items-center gap-2 text-sm font-medium text-blue-700 hover:underline"
          >
            {showEarlier ? "Hide" : "Show"} earlier attempts <Badge tone="warn">{earlier.length}</Badge>
          </button>
          {showEarlier ? <div className="mt-2 space-y-3">{earlier.map((_, index) => card(index))}</div> : null}
        </div>
      ) : null}
      {latest ? card(attempts.length - 1) : <p className="text-sm text-slate-500">No attempt has started yet.</p>}
      {detail.status !== "running" && detail.status !== "pending" && detail.attemptDetails.length === 0 && detail.output ? (
        <TextBlock text={detail.output} />
      ) : null}
      {sessionActive ? null : <JudgementVersions sessionId={sessionId} stepId={detail.stepId} />}
      {sessionActive ? null : <LabelForm sessionId={sessionId} stepId={detail.stepId} attempts={attempts.map((attempt) => attempt.attempt)} />}
    </div>
  );
}
