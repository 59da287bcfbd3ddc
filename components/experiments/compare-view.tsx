"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { ErrorNotice } from "@/components/ui/error-notice";
import { formatCost, formatDuration, formatScore } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import type { AtlasError } from "@/lib/errors";
import type { CompareResult } from "@/lib/experiments/api-types";
import { RewardCostScatter, RewardHistogram } from "./charts";
import { compareQuery } from "./queries";

const signed = (value: number | null) => (value === null ? "—" : `${value > 0 ? "+" : ""}${value.toFixed(3)}`);
const ratio = (value: number | null) => (value === null ? "—" : `${value.toFixed(2)}×`);

/** Base vs candidate over their shared tasks: the paired summary, two charts, and a row per task. */
export function CompareView({ experimentId, base, candidate }: { experimentId: number; base: number; candidate: number }) {
  const result = useQuery(compareQuery(experimentId, base, candidate));
  if (result.isPending) return <Spinner />;
  if (result.isError) return <ErrorNotice error={result.error as AtlasError} title="Could not compare these arms" />;
  const data = result.data;
  const labels = { base: `${data.base.configName} v${data.base.configVersion}`, candidate: `${data.candidate.configName} v${data.candidate.configVersion}` };
  return (
    <>
      <PageHeader
        title={`${labels.candidate} vs ${labels.base}`}
        description={
          <Link href={`/experiments/${experimentId}`} className="text-blue-700 hover:underline">
            ← back to the experiment
          </Link>
        }
      />
      <div className="space-y-6">
        <Summary data={data} />
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Reward distribution">
            <RewardHistogram rows={data.rows} labels={labels} />
          </Card>
          <Card title="Reward vs cost">
            <RewardCostScatter rows={data.rows} labels={labels} />
          </Card>
        </div>
        <Card title="Per task">
          <table className="w-full text-sm" data-testid="compare-rows">
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="py-1">Task</th>
                <th>Base reward</th>
                <th>Candidate reward</th>
                <th>Δ</th>
                <th>Reference (base / cand.)</th>
                <th>Cost (base / cand.)</th>
                <th>Latency (base / cand.)</th>
                <th>Attempts</th>
                <th>Escalations</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.taskIndex} className="border-t border-slate-100 align-top" data-testid="compare-row">
                  <td className="max-w-md py-1">
                    <span className="text-slate-500">{row.taskIndex + 1}.</span> {row.task}
                  </td>
                  <td>{formatScore(row.base.reward)}</td>
                  <td>{formatScore(row.candidate.reward)}</td>
                  <td data-testid="compare-delta" className={row.delta === null ? "" : row.delta > 0 ? "text-emerald-700" : row.delta < 0 ? "text-red-700" : ""}>
                    {signed(row.delta)}
                  </td>
                  <td>
                    {formatScore(row.base.referenceScore)} / {formatScore(row.candidate.referenceScore)}
                  </td>
                  <td>
                    {formatCost(row.base.costUsd)} / {formatCost(row.candidate.costUsd)}
                  </td>
                  <td>
                    {formatDuration(row.base.latencyMs)} / {formatDuration(row.candidate.latencyMs)}
                  </td>
                  <td>
                    {row.base.attempts.toFixed(1)} / {row.candidate.attempts.toFixed(1)}
                  </td>
                  <td>
                    {row.base.escalations.toFixed(1)} / {row.candidate.escalations.toFixed(1)}
                  </td>
                  <td>
                    {row.base.sessionIds[0] !== undefined && row.candidate.sessionIds[0] !== undefined ? (
                      <Link
                        data-testid="open-side-by-side"
                        className="text-blue-700 hover:underline"
                        href={`/experiments/${experimentId}/side-by-side?base=${row.base.sessionIds[0]}&candidate=${row.candidate.sessionIds[0]}&task=${row.taskIndex}`}
                      >
                        side by side
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>
    </>
  );
}

function Summary({ data }: { data: CompareResult }) {
  const { summary } = data;
  const items: [string, string, string][] = [
    ["paired tasks", String(summary.n), "summary-n"],
    ["mean Δ reward", signed(summary.meanDelta), "summary-mean-delta"],
    ["95% interval (paired bootstrap)", summary.ci95 ? `[${signed(summary.ci95[0])}, ${signed(summary.ci95[1])}]` : "—", "summary-ci"],
    ["wins / losses / ties", `${summary.wins} / ${summary.losses} / ${summary.ties}`, "summary-wlt"],
    ["cost ratio", ratio(summary.costRatio), "summary-cost-ratio"],
    ["latency ratio", ratio(summary.latencyRatio), "summary-latency-ratio"],
  ];
  const reference = summary.reference;
  const verdict =
    summary.ci95 === null ? null : summary.ci95[0] > 0 ? "The candidate is better: the interval lies above 0." : summary.ci95[1] < 0 ? "The candidate is worse: the interval lies below 0." : "No clear difference: the interval contains 0.";
  return (
    <Card title="Summary">
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-6">
        {items.map(([label, value, testId]) => (
          <div key={label}>
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd data-testid={testId} className="text-lg font-semibold">
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {verdict ? <p className="mt-3 text-sm text-slate-700">{verdict}</p> : null}
      {reference.n > 0 ? (
        <p className="mt-2 text-sm text-slate-700" data-testid="summary-reference">
          Reference scores over {reference.n} task(s): mean Δ {signed(reference.meanDelta)}
          {reference.ci95 ? `, 95% interval [${signed(reference.ci95[0])}, ${signed(reference.ci95[1])}]` : ""}, wins / losses / ties{" "}
          {reference.wins} / {reference.losses} / {reference.ties}
        </p>
      ) : null}
    </Card>
  );
}
