"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { ErrorNotice } from "@/components/ui/error-notice";
import { formatCost, formatScore } from "@/components/ui/format";
import { Spinner } from "@/components/ui/spinner";
import { StatusBadge } from "@/components/ui/status-badge";
import type { AtlasError } from "@/lib/errors";
import type { SessionDetail } from "@/lib/sessions/api-types";
import { sessionSnapshotQuery } from "./queries";

/** The two sessions of one task: final answers next to each other, then step rewards aligned by step. */
export function SideBySide({ experimentId, base, candidate }: { experimentId: number; base: number; candidate: number }) {
  const left = useQuery(sessionSnapshotQuery(base));
  const right = useQuery(sessionSnapshotQuery(candidate));
  if (left.isPending || right.isPending) return <Spinner />;
  if (left.isError) return <ErrorNotice error={left.error as AtlasError} title={`Could not load session ${base}`} />;
  if (right.isError) return <ErrorNotice error={right.error as AtlasError} title={`Could not load session ${candidate}`} />;
  const stepIds = [...new Set([...left.data.steps, ...right.data.steps].map((step) => step.stepId))].sort((a, b) => a - b);
  const stepOf = (detail: SessionDetail, stepId: number) => detail.steps.find((step) => step.stepId === stepId);
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href={`/experiments/${experimentId}`} className="text-blue-700 hover:underline">
          ← back to the experiment
        </Link>
      </p>
      <h1 className="text-xl font-semibold">{left.data.session.task}</h1>
      <div className="grid gap-6 lg:grid-cols-2">
        {[
          { label: "Base", detail: left.data, testId: "side-base" },
          { label: "Candidate", detail: right.data, testId: "side-candidate" },
        ].map(({ label, detail, testId }) => (
          <Card
            key={label}
            title={
              <span className="flex items-center gap-2">
                {label}:{" "}
                <Link href={`/sessions/${detail.session.id}`} className="text-blue-700 hover:underline">
                  session {detail.session.id}
                </Link>
                <span className="font-mono text-xs">{detail.session.configName}</span>
                <StatusBadge status={detail.session.status} />
              </span>
            }
          >
            <div data-testid={testId}>
              <p className="text-xs text-slate-500">
                reward {formatScore(detail.session.rewardScore)} · cost {formatCost(detail.session.costUsd)}
              </p>
              <pre className="mt-2 max-h-96 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs" data-testid="final-answer">
                {detail.session.finalAnswer ?? "(no final answer)"}
              </pre>
            </div>
          </Card>
        ))}
      </div>
      <Card title="Steps">
        <table className="w-full text-sm" data-testid="side-steps">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1">Step</th>
              <th>Base</th>
              <th>Reward</th>
              <th>Candidate</th>
              <th>Reward</th>
            </tr>
          </thead>
          <tbody>
            {stepIds.map((stepId) => {
              const a = stepOf(left.data, stepId);
              const b = stepOf(right.data, stepId);
              return (
                <tr key={stepId} className="border-t border-slate-100 align-top">
                  <td className="py-1">{stepId}</td>
                  <td className="max-w-sm">{a?.description ?? "—"}</td>
                  <td>{formatScore(a?.rewardScore)}</td>
                  <td className="max-w-sm">{b?.description ?? "—"}</td>
                  <td>{formatScore(b?.rewardScore)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
