"use client";

import Link from "next/link";
import { Elapsed } from "@/components/ui/elapsed";
import { formatCost, formatTimestamp, formatTokens } from "@/components/ui/format";
import { SessionRewardValue } from "@/components/ui/session-reward";
import { StatusBadge } from "@/components/ui/status-badge";
import type { SessionSummary } from "@/lib/sessions/api-types";

export function SessionsTable({ sessions, testId = "sessions-table" }: { sessions: SessionSummary[]; testId?: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table data-testid={testId} className="w-full min-w-[860px] text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-500">
          <tr>
            <th className="px-3 py-2 font-medium">Status</th>
            <th className="px-3 py-2 font-medium">Task</th>
            <th className="px-3 py-2 font-medium">Config</th>
            <th className="px-3 py-2 font-medium">Started</th>
            <th className="px-3 py-2 text-right font-medium">Duration</th>
            <th className="px-3 py-2 text-right font-medium">Steps</th>
            <th className="px-3 py-2 text-right font-medium">Reward</th>
            <th className="px-3 py-2 text-right font-medium">Tokens / cost</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sessions.map((session) => (
            <tr key={session.id} data-testid={`session-row-${session.id}`} data-status={session.status} className="hover:bg-slate-50">
              <td className="px-3 py-2">
                <StatusBadge status={session.status} />
              </td>
              <td className="max-w-md px-3 py-2">
                <Link href={`/sessions/${session.id}`} className="line-clamp-2 break-words text-blue-800 hover:underline" title={session.task}>
                  <span className="mr-1 font-mono text-xs text-slate-400">#{session.id}</span>
                  {session.task}
                </Link>
              </td>
              <td className="px-3 py-2 text-slate-700">
                {session.configName ?? <span className="text-slate-400">inline</span>}
                {session.configVersion !== null ? <span className="text-slate-400"> v{session.configVersion}</span> : null}
              </td>
              <td className="px-3 py-2 whitespace-nowrap text-slate-600">{formatTimestamp(session.startedAt ?? session.createdAt)}</td>
              <td className="px-3 py-2 text-right whitespace-nowrap text-slate-600">
                <Elapsed since={session.startedAt} until={session.completedAt} durationMs={session.durationMs} running={session.status === "running"} />
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{session.stepCount}</td>
              <td className="px-3 py-2 text-right tabular-nums" data-testid="row-reward">
                <SessionRewardValue status={session.status} score={session.rewardScore} testId="row-reward-value" />
              </td>
              <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums text-slate-600">
                {formatTokens(session.promptTokens + session.completionTokens + session.reasoningTokens)} · {formatCost(session.costUsd)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
