"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { SessionsTable } from "@/components/sessions/sessions-table";
import { UsageTable } from "@/components/session/usage-breakdown";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorNotice } from "@/components/ui/error-notice";
import { formatCost } from "@/components/ui/format";
import { Spinner } from "@/components/ui/spinner";
import type { AtlasError } from "@/lib/errors";
import { overviewQuery } from "@/lib/session-view/queries";
import { SeriesChart } from "./series-chart";

export function OverviewDashboard() {
  const query = useQuery(overviewQuery());
  if (query.isPending) {
    return (
      <p className="flex items-center gap-2 text-sm text-slate-600">
        <Spinner /> Loading the overview…
      </p>
    );
  }
  if (query.isError) return <ErrorNotice error={query.error as AtlasError} title="Could not load the overview" />;
  const { totals, running, recent, series } = query.data;
  if (totals.sessions === 0) {
    return (
      <EmptyState title="Nothing has run yet" testId="overview-empty">
        <Link href="/runs/new" className="text-blue-700 hover:underline">
          Launch a run
        </Link>{" "}
        — pick <strong>examples/demo_offline</strong> to try the whole loop without an API key.
      </EmptyState>
    );
  }
  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="overview-totals">
        <Stat label="Sessions" value={totals.sessions.toLocaleString("en-US")} testId="total-sessions" />
        <Stat label="Running now" value={totals.running.toLocaleString("en-US")} testId="total-running" />
        <Stat label="Total cost" value={formatCost(totals.costUsd)} testId="total-cost" />
        <Stat
          label="Escalation rate"
          value={totals.escalationRate === null ? "—" : `${(totals.escalationRate * 100).toFixed(1)}%`}
          hint={`${totals.escalations} of ${totals.judgeOutcomes} judge outcomes went to the arbiter`}
          testId="escalation-rate"
        />
      </dl>
      <Card title={`Runs in progress (${running.length})`}>
        {running.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="no-running">
            No run is in progress. <Link href="/runs/new" className="text-blue-700 hover:underline">Launch one</Link>.
          </p>
        ) : (
          <SessionsTable sessions={running} testId="running-sessions" />
        )}
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Mean reward per day (last 30 days)">
          {series.length === 0 ? (
            <p className="text-sm text-slate-500">No judged sessions in the last 30 days.</p>
          ) : (
            <SeriesChart
              kind="line"
              testId="reward-chart"
              label="Mean session reward per day"
              points={series.map((point) => ({ label: point.day, value: point.meanReward }))}
              format={(value) => value.toFixed(2)}
              yMax={1}
            />
          )}
          <p data-testid="reward-chart-rule" className="mt-2 text-xs text-slate-500">
            Succeeded sessions only: a running, failed, cancelled or interrupted session has no session reward yet.
          </p>
        </Card>
        <Card title="Cost per day (last 30 days)">
          {series.length === 0 ? (
            <p className="text-sm text-slate-500">No sessions in the last 30 days.</p>
          ) : (
            <SeriesChart
              kind="bar"
              testId="cost-chart"
              label="LLM cost per day"
              points={series.map((point) => ({ label: point.day, value: point.costUsd }))}
              format={(value) => formatCost(value)}
            />
          )}
        </Card>
      </div>
      {query.data.usageByRole.length > 0 ? (
        <Card title="Tokens and cost by role (last 30 days)">
          <UsageTable title="Model calls of every session" groups={query.data.usageByRole} testId="overview-usage-by-role" />
        </Card>
      ) : null}
      <Card title="Recent sessions">
        <SessionsTable sessions={recent} testId="recent-sessions" />
        <p className="mt-3 text-sm">
          <Link href="/sessions" className="text-blue-700 hover:underline">
            All sessions, with filters →
          </Link>
        </p>
      </Card>
    </div>
  );
}

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" title={hint}>
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd data-testid={testId} className="mt-1 text-2xl font-semibold tabular-nums">
        {value}
      </dd>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}
