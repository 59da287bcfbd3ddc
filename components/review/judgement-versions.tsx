"use client";

import { useQuery } from "@tanstack/react-query";
import { formatScore } from "@/components/ui/format";
import { judgementsQuery } from "@/lib/review/client";

/** The recorded judgement (v0) and every re-judge of a step's attempts, side by side. */
export function JudgementVersions({ sessionId, stepId }: { sessionId: number; stepId: number }) {
  const judgements = useQuery(judgementsQuery(sessionId));
  const rows = (judgements.data?.judgements ?? []).filter((judgement) => judgement.stepId === stepId);
  const versions = [...new Set(rows.map((row) => row.version))].sort((a, b) => a - b);
  if (versions.length < 2) return null;
  const attempts = [...new Set(rows.map((row) => row.attempt))].sort((a, b) => a - b);
  const withCalls = rows.filter((row) => row.calls && row.calls.length > 0);
  return (
    <div>
      <table className="text-sm" data-testid={`judgement-versions-${stepId}`}>
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="pr-3 text-left font-medium">judgement</th>
            {attempts.map((attempt) => (
              <th key={attempt} className="px-3 text-right font-medium">
                attempt {attempt}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="tabular-nums">
          {versions.map((version) => (
            <tr key={version} data-testid={`judgement-version-${stepId}-${version}`}>
              <td className="pr-3 text-slate-600">{version === 0 ? "recorded (v0)" : `re-judge v${version}`}</td>
              {attempts.map((attempt) => {
                const row = rows.find((item) => item.version === version && item.attempt === attempt);
                return (
                  <td key={attempt} className="px-3 text-right" title={row?.rationale ?? undefined}>
                    {row ? formatScore(row.score) : "—"}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {withCalls.map((row) => (
        <details key={`${row.version}:${row.attempt}`} className="mt-1 text-xs" data-testid={`judgement-calls-${stepId}-${row.version}-${row.attempt}`}>
          <summary className="cursor-pointer text-blue-700">
            prompts and replies of re-judge v{row.version}, attempt {row.attempt} ({row.calls!.length} calls)
          </summary>
          <ol className="mt-1 space-y-2">
            {row.calls!.map((call, index) => (
              <li key={index} className="rounded border border-slate-200 bg-white p-2">
                <p className="text-slate-500">
                  {String(call.stage)} · {String(call.model)} · temperature {String(call.temperature)}
                </p>
                <pre className="max-h-40 overflow-auto whitespace-pre-wrap">{JSON.stringify(call.messages, null, 1)}</pre>
                <pre className="max-h-40 overflow-auto whitespace-pre-wrap text-emerald-800">{String(call.reply ?? call.error ?? "")}</pre>
              </li>
            ))}
          </ol>
        </details>
      ))}
    </div>
  );
}
