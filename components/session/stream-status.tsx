"use client";

import { Spinner } from "@/components/ui/spinner";
import type { LiveState } from "@/lib/session-view/types";
import type { StreamInfo } from "./use-session-stream";

/** Where the live connection stands, and anything it had to drop. */
export function StreamStatus({ active, stream, errors }: { active: boolean; stream: StreamInfo; errors: LiveState["errors"] }) {
  return (
    <div className="mb-6 space-y-2 empty:hidden">
      {active ? (
        <p data-testid="stream-state" data-state={stream.state} className="flex items-center gap-2 text-xs text-slate-600">
          {stream.state === "open" ? (
            <>
              <span className="inline-block h-2 w-2 animate-pulse rounded-full bg-emerald-500" aria-hidden /> Live: events appear as the
              run records them.
            </>
          ) : stream.state === "closed" ? (
            <>Live updates stopped{stream.detail ? `: ${stream.detail}` : ""}. Reload to try again.</>
          ) : (
            <>
              <Spinner label="connecting" /> {stream.state === "reconnecting" ? "Reconnecting to the live stream…" : "Connecting…"}
              {stream.detail ? ` (${stream.detail})` : ""}
            </>
          )}
        </p>
      ) : null}
      {stream.invalidFrames.length > 0 ? (
        <div role="alert" data-testid="invalid-frames" className="rounded-md border border-amber-200 bg-amber-50 p-2 text-xs text-amber-900">
          Dropped {stream.invalidFrames.length} malformed event frame(s) from the stream. Latest: {stream.invalidFrames.at(-1)?.problem}
        </div>
      ) : null}
      {errors.length > 0 ? (
        <div data-testid="session-errors" className="rounded-md border border-red-200 bg-red-50 p-2 text-xs text-red-800">
          {errors.map((error) => (
            <p key={error.seq}>
              <span className="font-mono">{error.where}</span>: {error.message}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
