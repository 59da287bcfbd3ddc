"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { formatCost, formatDuration, formatTokens } from "@/components/ui/format";
import { Spinner } from "@/components/ui/spinner";
import { TextBlock } from "@/components/ui/text-block";
import { callDetailQuery, replyParts, requestMessages, requestSettings } from "@/lib/session-view/calls";
import type { CallSummary } from "@/lib/sessions/api-types";

/** One call's prompt and reply as text, with its tokens, latency, cost and retries. */
export function CallInspector({ sessionId, call }: { sessionId: number; call: CallSummary }) {
  const detail = useQuery({ ...callDetailQuery(sessionId, call.id), enabled: call.captured });
  return (
    <div data-testid={`call-inspector-${call.id}`} className="mt-2 space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3 text-xs">
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-slate-600" data-testid="call-facts">
        {call.model ? <span>model {call.model}</span> : null}
        {call.kind === "llm" ? (
          <span>
            tokens {formatTokens(call.promptTokens)} in · {formatTokens(call.completionTokens)} out
            {call.reasoningTokens > 0 ? ` · ${formatTokens(call.reasoningTokens)} reasoning` : ""}
          </span>
        ) : null}
        <span>latency {formatDuration(call.latencyMs)}</span>
        {call.kind === "llm" ? <span>cost {formatCost(call.costUsd)}</span> : null}
        {call.kind === "llm" ? <span data-testid="call-retries">retries {Math.max(0, call.tries - 1)}</span> : null}
      </p>
      {call.error ? <p className="text-red-700">error: {call.error}</p> : null}
      {!call.captured ? (
        <p className="text-slate-500">The request and reply were not stored (capture was off for this run).</p>
      ) : detail.isPending ? (
        <p className="flex items-center gap-2 text-slate-500">
          <Spinner label="loading the call" /> Loading the prompt and reply…
        </p>
      ) : detail.isError ? (
        <p role="alert" className="text-red-700">
          Could not load the call: {detail.error.message}
        </p>
      ) : detail.data.capture ? (
        <Capture capture={detail.data.capture} />
      ) : (
        <p className="text-slate-500">No request or reply stored.</p>
      )}
    </div>
  );
}

type CaptureValue = NonNullable<Parameters<typeof requestMessages>[0]>;

function Capture({ capture }: { capture: CaptureValue }) {
  const messages = requestMessages(capture);
  const reply = replyParts(capture);
  const settings = requestSettings(capture);
  return (
    <>
      {capture.truncated ? (
        <p data-testid="call-truncated" className="rounded bg-amber-50 p-2 text-amber-900">
          Cut to fit the {Math.round(capture.limitBytes / 1024)} KiB capture limit (the call was {Math.round(capture.originalBytes / 1024)} KiB); cut
          texts end with a note.
        </p>
      ) : null}
      <section data-testid="call-request">
        <h6 className="mb-1 font-semibold text-slate-700">Request</h6>
        <ol className="space-y-2">
          {messages.map((message, index) => (
            <li key={index} data-testid="call-message" data-role={message.role} className="rounded border border-slate-200 bg-white p-2">
              <Badge>{message.role}</Badge>
              <TextBlock text={message.text || "(empty)"} className="mt-1" limit={6000} />
              {message.toolCalls.map((text, call) => (
                <p key={call} className="mt-1 font-mono break-all text-slate-700">
                  → {text}
                </p>
              ))}
            </li>
          ))}
        </ol>
        {Object.keys(settings).length > 0 ? (
          <details className="mt-2">
            <summary className="cursor-pointer text-slate-600">Parameters, tools and metadata</summary>
            <TextBlock text={JSON.stringify(settings, null, 2)} mono className="mt-1 rounded bg-white p-2" limit={6000} />
          </details>
        ) : null}
      </section>
      <section data-testid="call-reply">
        <h6 className="mb-1 font-semibold text-slate-700">
          Reply{reply?.finishReason ? <span className="ml-2 font-normal text-slate-500">finish reason: {reply.finishReason}</span> : null}
        </h6>
        {reply === null ? (
          <p className="text-slate-500">No reply came back.</p>
        ) : (
          <div className="rounded border border-slate-200 bg-white p-2">
            <TextBlock text={reply.text || "(empty)"} testId="call-reply-text" limit={6000} />
            {reply.toolCalls.map((text, index) => (
              <p key={index} className="mt-1 font-mono break-all text-slate-700">
                → {text}
              </p>
            ))}
            {reply.reasoning ? (
              <details className="mt-2">
                <summary className="cursor-pointer text-slate-600">Reasoning</summary>
                <TextBlock text={reply.reasoning} className="mt-1" />
              </details>
            ) : null}
          </div>
        )}
      </section>
    </>
  );
}
