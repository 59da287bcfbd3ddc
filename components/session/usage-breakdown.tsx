"use client";

import { useQuery } from "@tanstack/react-query";
import { formatCost, formatTokens } from "@/components/ui/format";
import { sessionUsageQuery } from "@/lib/session-view/calls";
import type { UsageGroup } from "@/lib/sessions/api-types";

/** The session's tokens and cost by role (student, teacher, judges, arbiter) and by model. */
export function UsageBreakdown({ sessionId, active }: { sessionId: number; active: boolean }) {
  const usage = useQuery(sessionUsageQuery(sessionId, active));
  const byRole = usage.data?.usage.byRole ?? [];
  if (byRole.length === 0) return null;
  return (
    <section data-testid="usage-breakdown" aria-label="Tokens and cost by role" className="mb-6 grid gap-4 rounded-lg border border-slate-200 bg-white px-4 py-3 text-xs shadow-sm sm:grid-cols-2">
      <UsageTable title="By role" groups={byRole} testId="usage-by-role" />
      <UsageTable title="By model" groups={usage.data?.usage.byModel ?? []} testId="usage-by-model" />
    </section>
  );
}

export function UsageTable({ title, groups, testId }: { title: string; groups: UsageGroup[]; testId: string }) {
  return (
    <table data-testid={testId} className="w-full">
      <caption className="mb-1 text-left font-semibold tracking-wide text-slate-500 uppercase">{title}</caption>
      <thead className="text-slate-500">
        <tr>
          <th className="text-left font-medium" />
          <th className="text-right font-medium">calls</th>
          <th className="text-right font-medium">tokens in</th>
          <th className="text-right font-medium">tokens out</th>
          <th className="text-right font-medium">cost</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => (
          <tr key={group.key} data-testid="usage-row" data-key={group.key}>
            <td className="text-slate-800">{group.key}</td>
            <td className="text-right">{group.calls}</td>
            <td className="text-right">{formatTokens(group.promptTokens)}</td>
            <td className="text-right">{formatTokens(group.completionTokens + group.reasoningTokens)}</td>
            <td className="text-right">{formatCost(group.costUsd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
