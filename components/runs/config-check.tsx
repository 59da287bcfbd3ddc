"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ErrorNotice } from "@/components/ui/error-notice";
import { Spinner } from "@/components/ui/spinner";
import type { DoctorReport, LlmCheck } from "@/lib/doctor/report";
import type { AtlasError } from "@/lib/errors";
import { fetchJson } from "@/lib/http/api-client";

function doctorQuery(name: string, ping: boolean) {
  return {
    queryKey: ["doctor", name, ping] as const,
    queryFn: () => fetchJson<DoctorReport>("/api/doctor", { method: "POST", body: JSON.stringify({ config: { name }, ping }) }),
    staleTime: 10_000,
  };
}

/** What `atlas doctor` says about the selected config: where each LLM goes, missing keys, whether the agent loads. */
export function ConfigCheck({ name }: { name: string }) {
  const [ping, setPing] = useState(false);
  const check = useQuery(doctorQuery(name, ping));
  const report = check.data;

  return (
    <section data-testid="config-check" aria-label="Config check" className="rounded-md border border-slate-200 bg-white p-3 text-sm">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 className="font-medium text-slate-700">Check</h2>
        <Button variant="secondary" data-testid="config-check-ping" disabled={check.isFetching} onClick={() => (ping ? void check.refetch() : setPing(true))}>
          {check.isFetching && ping ? <Spinner label="pinging" /> : null}
          Ping the providers
        </Button>
      </div>
      {check.isPending ? (
        <p className="flex items-center gap-2 text-slate-600">
          <Spinner /> Checking…
        </p>
      ) : check.isError ? (
        <ErrorNotice error={check.error as AtlasError} title="Could not check the config" />
      ) : report ? (
        <>
          <table className="w-full table-fixed text-left text-xs">
            <thead className="text-slate-500">
              <tr>
                <th className="w-32 py-1 font-normal">LLM</th>
                <th className="w-20 font-normal">provider</th>
                <th className="font-normal">model · endpoint</th>
                <th className="w-48 font-normal">key</th>
              </tr>
            </thead>
            <tbody>
              {report.llms.map((llm) => (
                <LlmRow key={llm.path} llm={llm} />
              ))}
            </tbody>
          </table>
          <p data-testid="config-check-agent" className="mt-2 text-xs text-slate-700">
            <span className="font-medium">agent ({report.agent.type})</span> → <span className="font-mono break-all">{report.agent.resolves_to}</span>{" "}
            {report.agent.loads === true ? <Badge tone="good">loads</Badge> : report.agent.loads === false ? <Badge tone="bad">does not load</Badge> : null}
          </p>
          {report.problems.length === 0 ? (
            <p data-testid="config-check-ok" className="mt-2 text-xs text-emerald-700">
              No problems found{ping ? " (every provider answered)" : ""}.
            </p>
          ) : (
            <ul data-testid="config-check-problems" role="alert" className="mt-2 list-disc space-y-1 pl-5 text-xs text-red-700">
              {report.problems.map((problem) => (
                <li key={problem} className="break-words">
                  {problem}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}

function LlmRow({ llm }: { llm: LlmCheck }) {
  return (
    <tr data-testid={`config-check-llm-${llm.path}`} className="border-t border-slate-100 align-top">
      <td className="py-1 font-mono">{llm.path}</td>
      <td>{llm.provider}</td>
      <td className="break-all">
        <span className="block font-mono font-medium">{llm.model}</span>
        <span className="block font-mono text-slate-500">{llm.base_url ?? "no endpoint"}</span>
        {llm.ping ? (
          <span className={`block ${llm.ping.ok ? "text-emerald-700" : "text-red-700"}`}>
            {llm.ping.ok ? `answered in ${llm.ping.latency_ms} ms` : llm.ping.error}
          </span>
        ) : null}
      </td>
      <td>
        {llm.key_env === null ? (
          <span className="text-slate-500">none needed</span>
        ) : (
          <span className="flex flex-wrap items-center gap-1">
            <span className="font-mono">{llm.key_env}</span>
            <Badge tone={llm.key_set ? "good" : "bad"}>{llm.key_set ? "set" : "not set"}</Badge>
          </span>
        )}
      </td>
    </tr>
  );
}
