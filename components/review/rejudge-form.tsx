"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNotice } from "@/components/ui/error-notice";
import type { AtlasError } from "@/lib/errors";
import { judgementsQuery, rejudgeQuery, startRejudge } from "@/lib/review/client";

/** Scores the session's stored attempts again with a saved config's judges; the result is a new judgement version. */
export function RejudgeForm({ sessionId, defaultConfig }: { sessionId: number; defaultConfig: string | null }) {
  const client = useQueryClient();
  const [config, setConfig] = useState(defaultConfig ?? "");
  const [rejudgeId, setRejudgeId] = useState<number | null>(null);
  const [error, setError] = useState<AtlasError | null>(null);
  const status = useQuery({ ...rejudgeQuery(rejudgeId ?? 0), enabled: rejudgeId !== null });
  const finished = status.data && status.data.status !== "running";
  useEffect(() => {
    if (finished) void client.invalidateQueries({ queryKey: judgementsQuery(sessionId).queryKey });
  }, [client, finished, sessionId]);
  return (
    <form
      data-testid="rejudge-form"
      className="mt-3 flex flex-wrap items-center gap-2 text-sm"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        startRejudge([sessionId], config.trim()).then(
          (started) => setRejudgeId(started.rejudgeId),
          (caught: unknown) => setError(caught as AtlasError),
        );
      }}
    >
      <label className="text-xs text-slate-500">
        Re-judge with config
        <input
          data-testid="rejudge-config"
          value={config}
          onChange={(event) => setConfig(event.target.value)}
          className="ml-2 rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
      </label>
      <Button type="submit" variant="secondary" disabled={config.trim() === "" || status.data?.status === "running"} data-testid="rejudge-start">
        Re-judge
      </Button>
      {status.data ? (
        <span data-testid="rejudge-status" data-status={status.data.status}>
          v{status.data.judgementVersion}: {status.data.status} ({status.data.done}/{status.data.total})
          {status.data.error ? ` — ${status.data.error}` : ""}
        </span>
      ) : null}
      {error ? <ErrorNotice error={error} title="The re-judge did not start" /> : null}
    </form>
  );
}
