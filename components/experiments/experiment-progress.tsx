"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNotice } from "@/components/ui/error-notice";
import { formatCost, formatDuration, formatScore } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { StatusBadge } from "@/components/ui/status-badge";
import type { AtlasError } from "@/lib/errors";
import type { ExperimentDetail, RerunAccepted } from "@/lib/experiments/api-types";
import { fetchJson } from "@/lib/http/api-client";
import { experimentKeys, experimentQuery, experimentsQuery } from "./queries";

const COUNT_LABELS = ["total", "succeeded", "failed", "cancelled", "interrupted", "running", "pending", "skipped"] as const;

/** Live progress of one experiment: counts, cost, running cells, failures with reasons, cancel, re-run failed. */
export function ExperimentProgress({ experimentId }: { experimentId: number }) {
  const queryClient = useQueryClient();
  const experiment = useQuery(experimentQuery(experimentId));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: experimentKeys.detail(experimentId) });
  const cancel = useMutation<ExperimentDetail, AtlasError>({
    mutationFn: () => fetchJson<ExperimentDetail>(`/api/experiments/${experimentId}/cancel`, { method: "POST" }),
    onSettled: refresh,
  });
  const rerun = useMutation<RerunAccepted, AtlasError>({
    mutationFn: () => fetchJson<RerunAccepted>(`/api/experiments/${experimentId}/rerun-failed`, { method: "POST" }),
    onSettled: refresh,
  });

  if (experiment.isPending) return <Spinner />;
  if (experiment.isError) return <ErrorNotice error={experiment.error as AtlasError} title="Could not load the experiment" />;
  const detail = experiment.data;
  const armName = new Map(detail.arms.map((arm, index) => [arm.id, `${index + 1}. ${arm.configName} v${arm.configVersion}`]));
  const running = detail.runs.filter((run) => run.status === "running" || run.status === "queued");
  const latest = new Map(detail.runs.map((run) => [`${run.armId}/${run.taskIndex}/${run.repeat}`, run]));
  const failures = [...latest.values()].filter((run) => run.status === "failed" || run.status === "interrupted");
  const done = detail.counts.total - detail.counts.pending - detail.counts.skipped;

  return (
    <>
      <PageHeader
        title={detail.name ?? `Experiment ${detail.id}`}
        description={`${detail.taskSetName}: ${detail.taskCount} tasks × ${detail.arms.length} arms × ${detail.repeats} repeat(s)`}
        actions={
          <>
            {detail.status === "running" ? (
              <Button variant="danger" data-testid="experiment-cancel" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
                Cancel
              </Button>
            ) : null}
            <Button variant="secondary" data-testid="experiment-rerun-failed" disabled={failures.length === 0 || rerun.isPending} onClick={() => rerun.mutate()}>
              Re-run failed cells ({failures.length})
            </Button>
          </>
        }
      />
      <div className="space-y-6">
        {cancel.isError ? <ErrorNotice error={cancel.error} title="Could not cancel" /> : null}
        {rerun.isError ? <ErrorNotice error={rerun.error} title="Could not re-run the failed cells" /> : null}
        <Card title={<span className="flex items-center gap-2">Progress <StatusBadge status={detail.status} testId="experiment-status" /></span>}>
          <div className="mb-3 h-2 w-full overflow-hidden rounded bg-slate-100" aria-label={`${done} of ${detail.counts.total} cells done`}>
            <div className="h-2 bg-emerald-500" style={{ width: `${detail.counts.total ? (100 * done) / detail.counts.total : 0}%` }} />
          </div>
          <dl className="grid grid-cols-4 gap-3 text-sm sm:grid-cols-9" data-testid="experiment-counts">
            {COUNT_LABELS.map((key) => (
              <div key={key}>
                <dt className="text-xs text-slate-500">{key}</dt>
                <dd data-testid={`count-${key}`} className="text-lg font-semibold">
                  {detail.counts[key]}
                </dd>
              </div>
            ))}
            <div>
              <dt className="text-xs text-slate-500">cost so far</dt>
              <dd data-testid="experiment-cost" className="text-lg font-semibold">
                {formatCost(detail.costUsd)}
              </dd>
            </div>
          </dl>
          <p className="mt-2 text-xs text-slate-500">
            Reference scorer: <span className="font-mono">{detail.scorer.type}</span> (tasks with an expected answer)
          </p>
          {detail.maxCostUsd !== null ? <p className="mt-2 text-xs text-slate-500">Cost cap {formatCost(detail.maxCostUsd)}</p> : null}
          {detail.stopReason ? <p className="mt-2 text-sm text-amber-800">{detail.stopReason}</p> : null}
        </Card>
        <ComparePicker detail={detail} />
        {running.length > 0 ? (
          <Card title={`Running cells (${running.length})`}>
            <ul className="space-y-1 text-sm" data-testid="running-cells">
              {running.map((run) => (
                <li key={run.sessionId}>
                  <Link className="text-blue-700 hover:underline" href={`/sessions/${run.sessionId}`}>
                    session {run.sessionId}
                  </Link>{" "}
                  task {run.taskIndex + 1} · {armName.get(run.armId)} · repeat {run.repeat + 1} · {run.worker}
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
        {failures.length > 0 ? (
          <Card title={`Failures (${failures.length})`}>
            <ul className="space-y-2 text-sm" data-testid="failed-cells">
              {failures.map((run) => (
                <li key={run.sessionId}>
                  <Link className="text-blue-700 hover:underline" href={`/sessions/${run.sessionId}`}>
                    session {run.sessionId}
                  </Link>{" "}
                  task {run.taskIndex + 1} · {armName.get(run.armId)} <StatusBadge status={run.status} testId="failure-status" />
                  <p className="font-mono text-xs text-red-800">{run.error ?? "no reason recorded"}</p>
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
        <Card title="Cells">
          <table className="w-full text-sm" data-testid="experiment-runs">
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="py-1">Task</th>
                <th>Arm</th>
                <th>Repeat</th>
                <th>Session</th>
                <th>Status</th>
                <th>Reward</th>
                <th>Reference</th>
                <th>Cost</th>
                <th>Duration</th>
                <th>Worker</th>
              </tr>
            </thead>
            <tbody>
              {detail.runs.map((run) => (
                <tr key={run.sessionId} className="border-t border-slate-100">
                  <td className="py-1">{run.taskIndex + 1}</td>
                  <td className="font-mono text-xs">{armName.get(run.armId)}</td>
                  <td>{run.repeat + 1}</td>
                  <td>
                    <Link className="text-blue-700 hover:underline" href={`/sessions/${run.sessionId}`}>
                      {run.sessionId}
                    </Link>
                    {run.retryOf ? <span className="text-xs text-slate-500"> (re-run of {run.retryOf})</span> : null}
                  </td>
                  <td>
                    <StatusBadge status={run.status} testId="run-status" />
                  </td>
                  <td>{formatScore(run.reward)}</td>
                  <td>{formatScore(run.referenceScore)}</td>
                  <td>{formatCost(run.costUsd)}</td>
                  <td>{formatDuration(run.durationMs)}</td>
                  <td className="font-mono text-xs text-slate-500">{run.worker}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>
    </>
  );
}

/** Base: an arm of this experiment; candidate: any arm over the same task set, of this or another experiment. */
function ComparePicker({ detail }: { detail: ExperimentDetail }) {
  const others = useQuery(experimentsQuery());
  const [base, setBase] = useState(detail.arms[0]?.id ?? 0);
  const [candidate, setCandidate] = useState(detail.arms[1]?.id ?? detail.arms[0]?.id ?? 0);
  const foreignArms = (others.data?.experiments ?? [])
    .filter((experiment) => experiment.id !== detail.id && experiment.taskSetId === detail.taskSetId)
    .flatMap((experiment) => experiment.arms.map((arm, index) => ({ arm, index, experiment })));
  if (detail.arms.length < 2 && foreignArms.length === 0) return null;
  const option = (arm: ExperimentDetail["arms"][number], index: number) => (
    <option key={arm.id} value={arm.id}>
      {index + 1}. {arm.configName} v{arm.configVersion}
    </option>
  );
  return (
    <Card title="Compare two arms">
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label>
          <span className="block text-xs text-slate-500">Base</span>
          <select data-testid="compare-base" value={base} onChange={(event) => setBase(Number(event.target.value))} className="rounded-md border border-slate-300 p-2">
            {detail.arms.map(option)}
          </select>
        </label>
        <label>
          <span className="block text-xs text-slate-500">Candidate</span>
          <select data-testid="compare-candidate" value={candidate} onChange={(event) => setCandidate(Number(event.target.value))} className="rounded-md border border-slate-300 p-2">
            {detail.arms.map(option)}
            {foreignArms.map(({ arm, index, experiment }) => (
              <option key={arm.id} value={arm.id}>
                {experiment.name ?? `experiment ${experiment.id}`}: {index + 1}. {arm.configName} v{arm.configVersion}
              </option>
            ))}
          </select>
        </label>
        <Link
          data-testid="open-compare"
          href={`/experiments/${detail.id}/compare?base=${base}&candidate=${candidate}`}
          className="rounded-md bg-slate-900 px-3 py-2 font-medium text-white hover:bg-slate-700"
        >
          Open comparison
        </Link>
      </div>
    </Card>
  );
}
