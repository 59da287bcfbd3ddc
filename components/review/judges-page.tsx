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
  const [draft, setDraft] = useState(config);
  const agreement = useQuery({
    queryKey: ["judges", "agreement", config],
    queryFn: () => fetchJson<AgreementResponse>(`/api/judges/agreement?${new URLSearchParams({ config })}`),
    enabled: config !== "",
  });
  const data = agreement.data;
  return (
    <div data-testid="judges-page">
      <form
        className="mb-4 flex items-end gap-2 text-sm"
        onSubmit={(event) => {
          event.preventDefault();
          router.replace(`${pathname}?${new URLSearchParams({ config: draft.trim() })}`);
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
