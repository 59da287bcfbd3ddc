"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorNotice } from "@/components/ui/error-notice";
import { formatScore, formatTimestamp } from "@/components/ui/format";
import { Spinner } from "@/components/ui/spinner";
import { StatusBadge } from "@/components/ui/status-badge";
import type { AtlasError } from "@/lib/errors";
import { fetchJson } from "@/lib/http/api-client";
import type { ReviewStatus } from "@/lib/review/api-types";
import { invalidateSessionLists, postReview } from "@/lib/review/client";
import { movedIndex, QUEUE_KEY_HELP, queueAction } from "@/lib/review/queue-keys";
import { sessionPageSnapshotPath, type SessionDetail, type SessionListItem, type SessionListResponse } from "@/lib/sessions/api-types";
import { filtersFromParams, filtersToParams, sessionsApiQuery, type SessionFilters } from "@/lib/session-view/list-filters";
import { QueueFilters } from "./queue-filters";
import { ReviewBadge } from "./review-badge";

const QUEUE_SIZE = 200;

/** The queue's filter lives in the URL; without a review status it shows the pending sessions. */
function queueFilters(params: URLSearchParams): SessionFilters {
  const filters = filtersFromParams(params);
  return filters.review?.length ? filters : { ...filters, review: ["pending"] };
}

function isTextField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
}

export function ReviewQueue() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const client = useQueryClient();
  const queryString = params.toString();
  const filters = useMemo(() => queueFilters(new URLSearchParams(queryString)), [queryString]);
  // A snapshot of the queue: decisions are shown in place instead of making rows jump away under the cursor.
  const list = useQuery({
    queryKey: ["review-queue", filtersToParams(filters).toString()],
    queryFn: () => fetchJson<SessionListResponse>(`/api/sessions?${sessionsApiQuery(filters, null, QUEUE_SIZE)}`),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const sessions = useMemo(() => list.data?.sessions ?? [], [list.data]);
  const [index, setIndex] = useState(0);
  const [note, setNote] = useState("");
  const [decided, setDecided] = useState<ReadonlyMap<number, ReviewStatus>>(() => new Map());
  const [failure, setFailure] = useState<AtlasError | null>(null);
  const [busy, setBusy] = useState(false);
  const [help, setHelp] = useState(false);
  const noteField = useRef<HTMLTextAreaElement>(null);
  const current: SessionListItem | undefined = sessions[Math.min(index, sessions.length - 1)];

  const decide = useCallback(
    async (status: ReviewStatus) => {
      if (!current || busy) return;
      setBusy(true);
      try {
        await postReview(client, current.id, status, note);
        setDecided((previous) => new Map(previous).set(current.id, status));
        setNote("");
        setFailure(null);
        setIndex((position) => movedIndex(position, sessions.length, 1));
        void invalidateSessionLists(client);
      } catch (error) {
        setFailure(error as AtlasError);
      } finally {
        setBusy(false);
      }
    },
    [busy, client, current, note, sessions.length],
  );

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (isTextField(event.target)) return;
      const action = queueAction(event);
      if (!action) return;
      event.preventDefault();
      if (action.kind === "approve") void decide("approved");
      else if (action.kind === "quarantine") void decide("quarantined");
      else if (action.kind === "note") noteField.current?.focus();
      else if (action.kind === "next") setIndex((position) => movedIndex(position, sessions.length, 1));
      else if (action.kind === "previous") setIndex((position) => movedIndex(position, sessions.length, -1));
      else if (action.kind === "help") setHelp((shown) => !shown);
      else if (current && action.kind === "open-session") router.push(`/sessions/${current.id}`);
      else if (current && action.kind === "open-step") router.push(`/sessions/${current.id}#step-${action.stepId}`);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [current, decide, router, sessions.length]);

  function apply(next: SessionFilters) {
    const query = filtersToParams(next).toString();
    setIndex(0);
    setDecided(new Map());
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }

  return (
    <div data-testid="review-queue">
      <QueueFilters key={queryString} filters={filters} onApply={apply} />
      <KeyHelp shown={help} />
      {list.isPending ? (
        <p className="flex items-center gap-2 text-sm text-slate-600">
          <Spinner /> Loading the queue…
        </p>
      ) : null}
      {list.isError ? <ErrorNotice error={list.error as AtlasError} title="Could not load the queue" /> : null}
      {failure ? <ErrorNotice error={failure} title="The review was not saved" /> : null}
      {list.isSuccess && sessions.length === 0 ? (
        <EmptyState title="Nothing to review" testId="queue-empty">
          No session matches this filter.
        </EmptyState>
      ) : null}
      {current ? (
        <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
          <ol className="max-h-[70vh] divide-y divide-slate-100 overflow-y-auto rounded-lg border border-slate-200 bg-white text-sm" data-testid="queue-list">
            {sessions.map((session, position) => (
              <li
                key={session.id}
                data-testid={`queue-item-${session.id}`}
                aria-current={session.id === current.id ? "true" : undefined}
                className={`flex cursor-pointer items-center gap-2 px-3 py-2 ${session.id === current.id ? "bg-blue-50 ring-2 ring-blue-400 ring-inset" : ""}`}
                onClick={() => setIndex(position)}
              >
                <span className="font-mono text-xs text-slate-400">#{session.id}</span>
                <span className="line-clamp-1 flex-1">{session.task}</span>
                <ReviewBadge status={decided.get(session.id) ?? session.reviewStatus} driftFlagged={session.driftFlagged} testId={`queue-status-${session.id}`} />
              </li>
            ))}
          </ol>
          <CurrentSession
            session={current}
            status={decided.get(current.id) ?? current.reviewStatus}
            position={Math.min(index, sessions.length - 1) + 1}
            total={sessions.length}
          >
            <label className="block text-xs text-slate-500">
              Note for the next decision (n)
              <textarea
                ref={noteField}
                data-testid="queue-note"
                value={note}
                rows={2}
                onChange={(event) => setNote(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === "Escape" || (event.key === "Enter" && !event.shiftKey)) {
                    event.preventDefault();
                    event.currentTarget.blur();
                  }
                }}
                className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-800"
              />
            </label>
            <div className="mt-2 flex gap-2">
              <Button data-testid="queue-approve" disabled={busy} onClick={() => void decide("approved")}>
                Approve (a)
              </Button>
              <Button data-testid="queue-quarantine" variant="danger" disabled={busy} onClick={() => void decide("quarantined")}>
                Quarantine (q)
              </Button>
            </div>
          </CurrentSession>
        </div>
      ) : null}
    </div>
  );
}

function KeyHelp({ shown }: { shown: boolean }) {
  return (
    <p className="mb-3 text-xs text-slate-500" data-testid="queue-keys">
      Keys: a approve · q quarantine · n note · j/k next/previous · 1–9 open step · o open session · ? {shown ? "hide" : "more"}
      {shown ? (
        <span className="mt-1 block">
          {QUEUE_KEY_HELP.map(([key, what]) => (
            <span key={key} className="mr-3 inline-block">
              <kbd className="rounded border border-slate-300 px-1">{key}</kbd> {what}
            </span>
          ))}
        </span>
      ) : null}
    </p>
  );
}

function CurrentSession({
  session,
  status,
  position,
  total,
  children,
}: {
  session: SessionListItem;
  status: ReviewStatus;
  position: number;
  total: number;
  children: React.ReactNode;
}) {
  const detail = useQuery({
    queryKey: ["review-queue", "session", session.id],
    queryFn: () => fetchJson<SessionDetail>(sessionPageSnapshotPath(session.id)),
    staleTime: 60_000,
  });
  return (
    <section data-testid="queue-current" data-session-id={session.id} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <p className="text-xs text-slate-500">
        {position} of {total}
      </p>
      <h2 className="mt-1 text-base font-semibold text-slate-900">
        <Link href={`/sessions/${session.id}`} className="hover:underline">
          #{session.id} {session.task}
        </Link>
      </h2>
      <p className="mt-2 flex flex-wrap items-center gap-3 text-slate-600">
        <StatusBadge status={session.status} />
        <ReviewBadge status={status} driftFlagged={session.driftFlagged} testId="queue-current-status" />
        <span>reward {formatScore(session.rewardScore)}</span>
        <span>{session.configName ?? "inline config"}</span>
        <span>{formatTimestamp(session.createdAt)}</span>
        {session.escalations > 0 ? <span>{session.escalations} escalations</span> : null}
      </p>
      {detail.data?.session.finalAnswer ? <p className="mt-3 line-clamp-4 whitespace-pre-wrap text-slate-800">{detail.data.session.finalAnswer}</p> : null}
      <ol className="mt-3 space-y-1">
        {(detail.data?.steps ?? []).map((step) => (
          <li key={step.stepId} className="flex gap-2">
            <Link href={`/sessions/${session.id}#step-${step.stepId}`} className="text-blue-700 hover:underline" data-testid={`queue-step-${step.stepId}`}>
              {step.stepId}. {step.description}
            </Link>
            <span className="text-slate-500">
              {step.status} · reward {formatScore(step.rewardScore)} · {step.attempts ?? 0} attempt{step.attempts === 1 ? "" : "s"}
            </span>
          </li>
        ))}
      </ol>
      <div className="mt-4">{children}</div>
    </section>
  );
}
