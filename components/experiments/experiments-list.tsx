"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorNotice } from "@/components/ui/error-notice";
import { formatCost, formatTimestamp } from "@/components/ui/format";
import { StatusBadge } from "@/components/ui/status-badge";
import type { AtlasError } from "@/lib/errors";
import { experimentsQuery } from "./queries";

export function ExperimentsList() {
  const experiments = useQuery(experimentsQuery());
  if (experiments.isError) return <ErrorNotice error={experiments.error as AtlasError} title="Could not load the experiments" />;
  const list = experiments.data?.experiments ?? [];
  return (
    <Card title="Experiments">
      {list.length === 0 ? (
        <EmptyState title="No experiments yet">Start one with a task set and two configs.</EmptyState>
      ) : (
        <table className="w-full text-sm" data-testid="experiment-list">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1">Experiment</th>
              <th>Status</th>
              <th>Task set</th>
              <th>Arms</th>
              <th>Cells done</th>
              <th>Cost</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {list.map((experiment) => (
              <tr key={experiment.id} className="border-t border-slate-100">
                <td className="py-1">
                  <Link href={`/experiments/${experiment.id}`} className="font-medium text-blue-700 hover:underline">
                    {experiment.name ?? `Experiment ${experiment.id}`}
                  </Link>
                </td>
                <td>
                  <StatusBadge status={experiment.status} />
                </td>
                <td>{experiment.taskSetName}</td>
                <td className="font-mono text-xs">{experiment.arms.map((arm) => arm.configName).join(" · ")}</td>
                <td>
                  {experiment.counts.total - experiment.counts.pending - experiment.counts.skipped}/{experiment.counts.total}
                </td>
                <td>{formatCost(experiment.costUsd)}</td>
                <td className="text-slate-500">{formatTimestamp(experiment.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
