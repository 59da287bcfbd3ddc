"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useState } from "react";
import { ReviewPanel } from "@/components/review/review-panel";
import { ErrorNotice } from "@/components/ui/error-notice";
import { Spinner } from "@/components/ui/spinner";
import type { AtlasError } from "@/lib/errors";
import { isActive, sessionQuery } from "@/lib/session-view/queries";
import { buildStepRows, progressCounts, stepStatuses } from "@/lib/session-view/timeline";
import type { SessionView } from "@/lib/session-view/types";
import { EventLog } from "./event-log";
import { PlanView } from "./plan-view";
import { SessionHeader } from "./session-header";
import { StepTimeline } from "./step-timeline";
import { StreamStatus } from "./stream-status";
import { UsageBreakdown } from "./usage-breakdown";
import { Waterfall } from "./waterfall";
import { TraceNavigationProvider, useExpandedSteps } from "./use-trace-navigation";
import { useSessionStream } from "./use-session-stream";

/** Snapshot first (GET /api/sessions/:id), then the live stream from its lastSeq. */
export function SessionPage({ sessionId }: { sessionId: number }) {
  const query = useQuery(sessionQuery(sessionId));
  if (query.isPending) {
    return (
      <p className="flex items-center gap-2 text-sm text-slate-600" data-testid="session-loading">
        <Spinner /> Loading session {sessionId}…
      </p>
    );
  }
  if (query.isError) {
    const error = query.error as AtlasError;
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-semibold tracking-tight">Session {sessionId}</h1>
        <ErrorNotice error={error} title={error.code === "not_found" ? "No such session" : "Could not load the session"} />
        <Link href="/sessions" className="text-sm text-blue-700 hover:underline">
          Back to all sessions
        </Link>
      </div>
    );
  }
  return <SessionContent view={query.data} />;
}

function SessionContent({ view }: { view: SessionView }) {
  const sessionId = view.session.id;
  const active = isActive(view.session.status);
  const stream = useSessionStream(sessionId, active);
  // What the page loaded with: older per-attempt extras are fetched from the event log on demand.
  const [loadedAtSeq] = useState(view.session.lastSeq);
  const { expanded, toggleStep: toggle, openStep } = useExpandedSteps(sessionId);
  const select = useCallback(
    (stepId: number) => {
      openStep(stepId);
      document.getElementById(`step-${stepId}`)?.scrollIntoView({ behavior: "smooth", block: "start" });
    },
    [openStep],
  );

  const { plan, steps } = view;
  const scheduled = view.live.scheduled;
  const status = view.session.status;
  const rows = useMemo(() => buildStepRows({ plan, steps, live: { scheduled } }, status), [plan, steps, scheduled, status]);
  const progress = useMemo(() => progressCounts(rows), [rows]);
  const statuses = useMemo(() => stepStatuses({ steps }), [steps]);
  const stepIds = useMemo(() => rows.map((row) => row.stepId), [rows]);

  return (
    <TraceNavigationProvider sessionId={sessionId} openStep={openStep}>
      <div data-testid="session-page" data-session-id={sessionId} data-last-seq={view.session.lastSeq}>
        <SessionHeader session={view.session} progress={progress} />
        <UsageBreakdown sessionId={sessionId} active={active} />
        <StreamStatus active={active} stream={stream} errors={view.live.errors} />
        {active ? null : <ReviewPanel sessionId={sessionId} configName={view.session.configName} />}
        <PlanView plan={view.plan} statuses={statuses} active={active} onSelectStep={select} />
        <Waterfall steps={steps} startedAt={view.session.startedAt} completedAt={view.session.completedAt} active={active} />
        <StepTimeline
          sessionId={sessionId}
          rows={rows}
          expanded={expanded}
          onToggle={toggle}
          rim={view.session.rim}
          liveExtras={view.live.extras}
          sessionActive={active}
          loadedAtSeq={loadedAtSeq}
        />
        <EventLog sessionId={sessionId} lastSeq={view.session.lastSeq} active={active} stepIds={stepIds} />
      </div>
    </TraceNavigationProvider>
  );
}
