"use client";

import Link from "next/link";
import { Elapsed } from "@/components/ui/elapsed";
import { formatCost, formatTimestamp, formatTokens } from "@/components/ui/format";
import { SessionRewardValue } from "@/components/ui/session-reward";
import { StatusBadge } from "@/components/ui/status-badge";
import { ReviewBadge } from "@/components/review/review-badge";
import type { SessionListItem, SessionSummary } from "@/lib/sessions/api-types";

/** Ticking rows for a bulk action (the sessions list); the review column shows with it. */
export interface RowSelection {
  selected: ReadonlySet<number>;
  onToggle: (sessionId: number) => void;
}

export function SessionsTable({
  sessions,
  testId = "sessions-table",
  selection,
}: {
  sessions: (SessionSummary | SessionListItem)[];
  testId?: string;
  selection?: RowSelection;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table data-testid={testId} className="w-full min-w-[860px] text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-500">
          <tr>
            {selection ? <th className="px-3 py-2 font-medium"><span className="sr-only">Select</span></th> : null}
            <th className="px-3 py-2 font-medium">Status</th>
            {selection ? <th className="px-3 py-2 font-medium">Review</th> : null}
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
              {selection ? (
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label={`select session ${session.id}`}
                    data-testid={`select-session-${session.id}`}
                    checked={selection.selected.has(session.id)}
                    onChange={() => selection.onToggle(session.id)}
                  />
                </td>
              ) : null}
              <td className="px-3 py-2">
                <StatusBadge status={session.status} />
              </td>
              {selection ? (
                <td className="px-3 py-2">
                  {"reviewStatus" in session ? (
                    <ReviewBadge status={session.reviewStatus} driftFlagged={session.driftFlagged} testId={`row-review-${session.id}`} />
                  ) : null}
                </td>
              ) : null}
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
