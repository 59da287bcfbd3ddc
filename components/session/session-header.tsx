"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Elapsed } from "@/components/ui/elapsed";
import { ErrorNotice } from "@/components/ui/error-notice";
import { formatCost, formatTimestamp, formatTokens } from "@/components/ui/format";
import { SessionRewardValue } from "@/components/ui/session-reward";
import { StatusBadge } from "@/components/ui/status-badge";
import { TextBlock } from "@/components/ui/text-block";
import { fetchJson } from "@/lib/http/api-client";
import type { AtlasError } from "@/lib/errors";
import { isActive } from "@/lib/session-view/queries";
import type { ProgressCounts } from "@/lib/session-view/timeline";
import type { SessionView } from "@/lib/session-view/types";
import { sessionRewardOf } from "@/lib/trajectory";

const TASK_PREVIEW_CHARS = 600;

export function SessionHeader({ session, progress }: { session: SessionView["session"]; progress: ProgressCounts }) {
  const active = isActive(session.status);
  return (
    <section className="mb-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label="Session summary">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">Session {session.id}</h1>
            <StatusBadge status={session.status} />
          </div>
          {/* A task can be 20k characters: the first lines, with "show all". */}
          <TextBlock text={session.task} testId="session-task" limit={TASK_PREVIEW_CHARS} className="mt-2 max-w-3xl" />
        </div>
        <div className="flex flex-wrap gap-2">
          {active ? <CancelButton sessionId={session.id} status={session.status} /> : null}
          <Link
            href={`/runs/new?session=${session.id}`}
            data-testid="run-again"
            className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
          >
            Run again
          </Link>
          <a
            href={`/api/sessions/${session.id}/export`}
            download={`session-${session.id}.jsonl`}
            data-testid="download-jsonl"
            className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
          >
            Download JSONL
          </a>
        </div>
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3 lg:grid-cols-6">
        <Fact label="Config">
          {session.configName ? (
            <Link href={`/configs?name=${encodeURIComponent(session.configName)}`} className="text-blue-700 hover:underline">
              {session.configName}
              {session.configVersion !== null ? ` v${session.configVersion}` : ""}
            </Link>
          ) : (
            "inline YAML"
          )}
        </Fact>
        <Fact label="Started">{formatTimestamp(session.startedAt ?? session.createdAt)}</Fact>
        <Fact label="Duration">
          <Elapsed
            testId="session-duration"
            since={session.startedAt}
            until={session.completedAt}
            durationMs={session.durationMs}
            running={session.status === "running"}
          />
        </Fact>
        <Fact label="Tokens / cost">
          <span data-testid="session-tokens">
            {formatTokens(session.promptTokens + session.completionTokens + session.reasoningTokens)} · {formatCost(session.costUsd)}
          </span>
        </Fact>
        <Fact label="Steps / attempts">
          <span data-testid="session-progress">
            {progress.steps.finished} of {progress.steps.planned} done{progress.steps.running > 0 ? `, ${progress.steps.running} running` : ""} /{" "}
            {Math.max(progress.attempts.started, session.attemptCount)}
            {progress.attempts.running > 0 ? ` (${progress.attempts.running} running)` : ""}
          </span>
        </Fact>
        <Fact label={session.status === "succeeded" ? "Session reward" : session.status === "running" || session.status === "queued" ? "Reward so far" : "Partial reward"}>
          <SessionRewardValue status={session.status} score={session.rewardScore} testId="session-reward" />
        </Fact>
      </dl>
      <p data-testid="session-reward-rule" className="mt-2 text-xs text-slate-500">
        {sessionRewardOf(session.status, session.rewardScore).explanation} A step&apos;s reward is the weighted mean of its
        judges&apos; scores (open a step&apos;s judge panel for the weights).
      </p>
      {session.metadata && Object.keys(session.metadata).length > 0 ? (
        <p data-testid="session-metadata" className="mt-3 text-xs text-slate-600">
          <span className="font-medium">Metadata: </span>
          <span className="font-mono break-all">{JSON.stringify(session.metadata)}</span>
        </p>
      ) : null}
      {session.error ? (
        <p data-testid="session-error" className="mt-4 rounded-md bg-red-50 p-3 text-sm whitespace-pre-wrap text-red-800">
          {session.error}
        </p>
      ) : null}
      <FinalAnswer text={session.finalAnswer} active={active} />
    </section>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}

/** The final answer is untrusted model output: text nodes only, never HTML or markdown. */
function FinalAnswer({ text, active }: { text: string | null; active: boolean }) {
  if (!text) {
    return active ? <p className="mt-4 text-sm text-slate-500">The final answer appears here once the steps are synthesised.</p> : null;
  }
  return (
    <div className="mt-4 rounded-md border border-emerald-200 bg-emerald-50/50 p-3">
      <h2 className="mb-1 text-sm font-semibold text-emerald-900">Final answer</h2>
      <TextBlock text={text} testId="final-answer" limit={20_000} />
    </div>
  );
}

function CancelButton({ sessionId, status }: { sessionId: number; status: string }) {
  const cancel = useMutation<unknown, AtlasError>({
    mutationFn: () => fetchJson(`/api/sessions/${sessionId}/cancel`, { method: "POST" }),
  });
  // Disabled from the click until the stream reports the cancellation (the button then disappears).
  const requested = cancel.isPending || cancel.isSuccess;
  return (
    <div className="flex flex-col items-end gap-2">
      <Button variant="danger" data-testid="cancel-session" disabled={requested} onClick={() => cancel.mutate()}>
        {requested ? "Cancelling…" : status === "queued" ? "Cancel (queued)" : "Cancel run"}
      </Button>
      {cancel.error ? <ErrorNotice error={cancel.error} title="Could not cancel" /> : null}
    </div>
  );
}
