"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNotice } from "@/components/ui/error-notice";
import { formatScore } from "@/components/ui/format";
import { Spinner } from "@/components/ui/spinner";
import type { AtlasError } from "@/lib/errors";
import { fetchJson } from "@/lib/http/api-client";
import type { AgreementResponse } from "@/lib/review/api-types";

const metric = (value: number | null) => (value === null ? "—" : value.toFixed(3));

/** Agreement of a config's judge panel with the human labels: the numbers, the confusion matrix, the disagreements. */
export function JudgesPage() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const config = params.get("config") ?? "";
  const judgement = params.get("judgement") ?? "";
  const [draft, setDraft] = useState(config);
  const [draftJudgement, setDraftJudgement] = useState(judgement);
  const agreement = useQuery({
    queryKey: ["judges", "agreement", config, judgement],
    queryFn: () => fetchJson<AgreementResponse>(`/api/judges/agreement?${new URLSearchParams({ config, ...(judgement ? { judgement } : {}) })}`),
    enabled: config !== "",
  });
  const data = agreement.data;
  return (
    <div data-testid="judges-page">
      <form
        className="mb-4 flex items-end gap-2 text-sm"
        onSubmit={(event) => {
          event.preventDefault();
          const next = new URLSearchParams({ config: draft.trim() });
          if (draftJudgement.trim()) next.set("judgement", draftJudgement.trim());
          router.replace(`${pathname}?${next}`);
        }}
      >
        <label className="text-xs text-slate-500">
          Config
          <input
            data-testid="judges-config"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            className="mt-1 block w-64 rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </label>
        <label className="text-xs text-slate-500">
          Judgement version (blank: recorded)
          <input
            data-testid="judges-version"
            inputMode="numeric"
            value={draftJudgement}
            onChange={(event) => setDraftJudgement(event.target.value)}
            className="mt-1 block w-40 rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </label>
        <Button type="submit" variant="secondary" disabled={draft.trim() === ""}>
          Show agreement
        </Button>
      </form>
      {agreement.isFetching ? (
        <p className="flex items-center gap-2 text-sm text-slate-600">
          <Spinner /> Comparing judges with human labels…
        </p>
      ) : null}
      {agreement.isError ? <ErrorNotice error={agreement.error as AtlasError} title="Could not compute the agreement" /> : null}
      {data ? (
        <section className="space-y-4" data-testid="agreement">
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
            {[
              ["labelled judgements", String(data.pairs), "agreement-pairs"],
              ["Spearman", metric(data.spearman), "agreement-spearman"],
              ["mean absolute error", metric(data.mae), "agreement-mae"],
              [`Cohen's kappa at ${data.threshold}`, metric(data.kappa), "agreement-kappa"],
              ["disagreements", String(data.disagreements.length), "agreement-disagreement-count"],
            ].map(([label, value, testId]) => (
              <div key={label} className="rounded-lg border border-slate-200 bg-white p-3">
                <dt className="text-xs text-slate-500">{label}</dt>
                <dd className="text-xl font-semibold tabular-nums" data-testid={testId}>
                  {value}
                </dd>
              </div>
            ))}
          </dl>
          <table className="text-sm" data-testid="confusion">
            <thead>
              <tr className="text-xs text-slate-500">
                <th />
                <th className="px-3 py-1">human accepts</th>
                <th className="px-3 py-1">human rejects</th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              <tr>
                <th className="px-3 py-1 text-left text-xs text-slate-500">judge accepts</th>
                <td className="px-3 py-1 text-center" data-testid="confusion-tp">{data.confusion.tp}</td>
                <td className="px-3 py-1 text-center" data-testid="confusion-fp">{data.confusion.fp}</td>
              </tr>
              <tr>
                <th className="px-3 py-1 text-left text-xs text-slate-500">judge rejects</th>
                <td className="px-3 py-1 text-center" data-testid="confusion-fn">{data.confusion.fn}</td>
                <td className="px-3 py-1 text-center" data-testid="confusion-tn">{data.confusion.tn}</td>
              </tr>
            </tbody>
          </table>
          <JudgeTable judges={data.judges} />
          {data.comparison ? (
            <p className="text-sm text-slate-700" data-testid="rejudge-comparison">
              Re-judge v{data.judgementVersion} against the recorded judgement on {data.comparison.pairs} attempts: mean change{" "}
              {metric(data.comparison.meanAbsoluteChange)}, rank correlation {metric(data.comparison.spearman)}.
            </p>
          ) : null}
          {data.disagreements.length > 0 ? (
            <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm" data-testid="disagreements">
              {data.disagreements.map((item) => (
                <li key={`${item.sessionId}:${item.stepId}`} className="flex gap-3 px-3 py-2">
                  <Link
                    href={`/sessions/${item.sessionId}${item.stepId === null ? "" : `#step-${item.stepId}`}`}
                    className="text-blue-700 hover:underline"
                  >
                    session {item.sessionId}
                    {item.stepId === null ? "" : `, step ${item.stepId}`}
                  </Link>
                  <span>judges {formatScore(item.judge)}</span>
                  <span>human {typeof item.human === "number" ? formatScore(item.human) : item.human}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

function JudgeTable({ judges }: { judges: AgreementResponse["judges"] }) {
  if (judges.length === 0) return null;
  return (
    <table className="text-sm" data-testid="judge-stats">
      <thead className="text-xs text-slate-500">
        <tr>
          <th className="pr-4 text-left font-medium">judge</th>
          <th className="px-3 text-right font-medium">judgements</th>
          <th className="px-3 text-right font-medium">escalation rate</th>
          <th className="px-3 text-right font-medium">arbiter sided with the minority</th>
        </tr>
      </thead>
      <tbody className="tabular-nums">
        {judges.map((judge) => (
          <tr key={judge.identifier} data-testid={`judge-stats-${judge.identifier}`}>
            <td className="pr-4">{judge.identifier}</td>
            <td className="px-3 text-right">{judge.judgements}</td>
            <td className="px-3 text-right">{judge.escalationRate === null ? "—" : `${(judge.escalationRate * 100).toFixed(1)}%`}</td>
            <td className="px-3 text-right">
              {judge.arbiterSidedWithMinority} of {judge.splitEscalations} split escalations
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
