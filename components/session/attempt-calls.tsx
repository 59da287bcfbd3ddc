"use client";

import { useQuery } from "@tanstack/react-query";
import { formatCost, formatDuration } from "@/components/ui/format";
import { Spinner } from "@/components/ui/spinner";
import { TextBlock } from "@/components/ui/text-block";
import { attemptCallsQuery, callDetailQuery, callTitle } from "@/lib/session-view/calls";
import { traceElementId, traceHash } from "@/lib/session-view/permalink";
import type { CallSummary } from "@/lib/sessions/api-types";
import { CallInspector } from "./call-inspector";
import { useScrollWhenTarget, useTrace } from "./trace-context";

interface AttemptWhere {
  stepId: number;
  attempt: number;
  running: boolean;
}

/** The prompt the agent received for the attempt (its first turn), as text. */
export function AttemptAgentInput({ stepId, attempt, running }: AttemptWhere) {
  const { sessionId } = useTrace();
  const calls = useQuery(attemptCallsQuery(sessionId, stepId, attempt, running));
  const firstTurn = calls.data?.calls.find((call) => call.kind === "agent" && call.stage === "execution");
  return firstTurn ? <AgentPrompt sessionId={sessionId} call={firstTurn} /> : null;
}

/** Every call made for the attempt (agent turns, tools, validation, judge samples, arbiter), each opening its prompt and reply. */
export function AttemptCallList({ stepId, attempt, running }: AttemptWhere) {
  const { sessionId } = useTrace();
  const calls = useQuery(attemptCallsQuery(sessionId, stepId, attempt, running));
  if (calls.isPending) {
    return (
      <p className="flex items-center gap-2 text-xs text-slate-500">
        <Spinner label="loading calls" /> Loading the calls…
      </p>
    );
  }
  if (calls.isError) {
    return (
      <p role="alert" className="text-xs text-red-700">
        Could not load the calls: {calls.error.message}
      </p>
    );
  }
  const list = calls.data.calls;
  if (list.length === 0) return null;
  return (
    <section>
      <h5 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Calls ({list.length})</h5>
      <ol className="space-y-1" data-testid={`calls-${stepId}-${attempt}`}>
        {list.map((call) => (
          <CallRow key={call.id} call={call} />
        ))}
      </ol>
    </section>
  );
}

function AgentPrompt({ sessionId, call }: { sessionId: number; call: CallSummary }) {
  const detail = useQuery({ ...callDetailQuery(sessionId, call.id), enabled: call.captured });
  const prompt = detail.data?.capture?.request.prompt;
  if (!call.captured) return null;
  return (
    <section>
      <h5 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Agent input</h5>
      {typeof prompt === "string" ? (
        <TextBlock text={prompt} testId="agent-prompt" className="rounded bg-slate-50 p-2" limit={3000} />
      ) : detail.isPending ? (
        <p className="text-xs text-slate-500">Loading the prompt…</p>
      ) : (
        <p className="text-xs text-slate-500">No prompt stored.</p>
      )}
    </section>
  );
}

function CallRow({ call }: { call: CallSummary }) {
  const { sessionId, target, openCalls, toggleCall } = useTrace();
  const open = openCalls.has(call.id);
  const where = { stepId: call.stepId ?? 0, attempt: call.attempt, callId: call.id };
  const elementId = traceElementId(where);
  useScrollWhenTarget(elementId, target, open && target?.callId === call.id);
  return (
    <li id={elementId} data-testid={`call-${call.id}`} data-stage={call.stage} data-kind={call.kind} className="rounded border border-slate-200 bg-white px-2 py-1 text-xs">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          aria-expanded={open}
          data-testid="call-toggle"
          onClick={() => toggleCall(call)}
          className="font-medium text-blue-700 hover:underline"
        >
          {open ? "▾" : "▸"} {callTitle(call)}
        </button>
        {call.model ? <span className="text-slate-500">{call.model}</span> : null}
        <span className="ml-auto flex items-center gap-3 text-slate-600">
          {call.kind === "llm" ? <span>{call.promptTokens + call.completionTokens} tok</span> : null}
          <span>{formatDuration(call.latencyMs)}</span>
          {call.kind === "llm" ? <span>{formatCost(call.costUsd)}</span> : null}
          {call.tries > 1 ? <span className="text-amber-700">{call.tries - 1} retries</span> : null}
          {call.error ? <span className="text-red-700">failed</span> : null}
          <a href={`/sessions/${sessionId}${traceHash(where)}`} className="text-slate-400 hover:text-blue-700" title="Link to this call">
            #
          </a>
        </span>
      </div>
      {open ? <CallInspector sessionId={sessionId} call={call} /> : null}
    </li>
  );
}
