"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { BulkReviewBar } from "@/components/review/bulk-review-bar";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorNotice } from "@/components/ui/error-notice";
import { Spinner } from "@/components/ui/spinner";
import type { AtlasError } from "@/lib/errors";
import { filtersFromParams, filtersToParams, hasFilters, type SessionFilters } from "@/lib/session-view/list-filters";
import { isActive, launchConfigsQuery, SESSION_PAGE_SIZE, sessionListQuery } from "@/lib/session-view/queries";
import { SessionFiltersForm } from "./session-filters";
import { SessionsTable } from "./sessions-table";

/** `?limit=` sets the page size (1–200), e.g. for a short shared list. */
function pageSizeFrom(value: string | null): number {
  const size = Number(value);
  return Number.isInteger(size) && size >= 1 && size <= 200 ? size : SESSION_PAGE_SIZE;
}

/** The filters are the URL: reading derives them, applying replaces the URL. */
export function SessionsList() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const queryString = params.toString();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(queryString)), [queryString]);
  const list = useInfiniteQuery(sessionListQuery(filters, pageSizeFrom(params.get("limit"))));
  const configs = useQuery(launchConfigsQuery());
  const sessions = useMemo(() => list.data?.pages.flatMap((page) => page.sessions) ?? [], [list.data]);
  const live = sessions.some((session) => isActive(session.status));
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set());
  const toggle = (sessionId: number) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(sessionId)) next.delete(sessionId);
      else next.add(sessionId);
      return next;
    });

  function apply(next: SessionFilters) {
    const nextParams = filtersToParams(next);
    const limit = params.get("limit");
    if (limit) nextParams.set("limit", limit);
    const query = nextParams.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }

  return (
    <>
      <SessionFiltersForm key={queryString} filters={filters} configNames={configs.data?.configs.map((config) => config.name) ?? []} onApply={apply} />
      {list.isError ? <ErrorNotice error={list.error as AtlasError} title="Could not load sessions" /> : null}
      {list.isPending ? (
        <p className="flex items-center gap-2 text-sm text-slate-600">
          <Spinner /> Loading sessions…
        </p>
      ) : null}
      {list.isSuccess && sessions.length === 0 ? (
        hasFilters(filters) ? (
          <EmptyState title="No session matches these filters" testId="sessions-empty">
            Widen the date or reward range, untick some statuses, or{" "}
            <Link href={pathname} className="text-blue-700 hover:underline">
              clear all filters
            </Link>
            .
          </EmptyState>
        ) : (
          <EmptyState title="No sessions yet" testId="sessions-empty">
            Every run you launch is recorded here.{" "}
            <Link href="/runs/new" className="text-blue-700 hover:underline">
              Launch a run
            </Link>{" "}
            — the offline demo config needs no API key.
          </EmptyState>
        )
      ) : null}
      {sessions.length > 0 ? (
        <>
          <BulkReviewBar selected={selected} onDone={() => setSelected(new Set())} />
          <SessionsTable sessions={sessions} selection={{ selected, onToggle: toggle }} />
          <div className="mt-3 flex items-center gap-3 text-sm text-slate-600">
            <span data-testid="sessions-count">
              Showing {sessions.length} session{sessions.length === 1 ? "" : "s"}
              {list.hasNextPage ? "; more are older" : ""}.
            </span>
            {live ? <span className="text-xs text-blue-700">Refreshing every 2 s while runs are active.</span> : null}
            {list.hasNextPage ? (
              <Button variant="secondary" data-testid="load-more-sessions" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {list.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            ) : null}
          </div>
        </>
      ) : null}
    </>
  );
}
