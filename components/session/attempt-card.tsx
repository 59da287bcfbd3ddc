"use client";

import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Elapsed } from "@/components/ui/elapsed";
import { formatDuration, formatScore } from "@/components/ui/format";
import { Spinner } from "@/components/ui/spinner";
import { StatusBadge } from "@/components/ui/status-badge";
import { TextBlock } from "@/components/ui/text-block";
import { buildJudgePanel } from "@/lib/session-view/judging";
import { diffLines } from "@/lib/session-view/line-diff";
import { displayOutput, readableFields } from "@/lib/session-view/output-text";
import { traceElementId } from "@/lib/session-view/permalink";
import type { AttemptDetail, AttemptExtras, SessionView, StepDetail, ToolCallView } from "@/lib/session-view/types";
import { AttemptAgentInput, AttemptCallList } from "./attempt-calls";
import { JudgePanel } from "./judge-panel";
import { useScrollWhenTarget, useTrace } from "./trace-context";

export interface AttemptCardProps {
  step: StepDetail;
  attempt: AttemptDetail;
  previous: AttemptDetail | null;
  extras: AttemptExtras;
  extrasLoading: boolean;
  rim: SessionView["session"]["rim"];
  sessionActive: boolean;
}

export function AttemptCard({ step, attempt, previous, extras, extrasLoading, rim, sessionActive }: AttemptCardProps) {
  const unfinished = attempt.finishedAt === null && attempt.outcome === null;
  const running = unfinished && sessionActive;
  const testId = `attempt-${step.stepId}-${attempt.attempt}`;
  const given = step.guidance.filter((note) => note.forAttempt === attempt.attempt);
  const next = step.guidance.filter((note) => note.forAttempt === attempt.attempt + 1);
  const validation = attempt.evaluation?.validation as { valid?: unknown; guidance?: unknown; error?: unknown } | undefined;
  const panel = useMemo(() => buildJudgePanel(attempt, extras, rim), [attempt, extras, rim]);
  const { target } = useTrace();
  const anchor = traceElementId({ stepId: step.stepId, attempt: attempt.attempt, callId: null });
  useScrollWhenTarget(anchor, target, target?.stepId === step.stepId && target.attempt === attempt.attempt && target.callId === null);
  return (
    <article id={anchor} data-testid={testId} data-outcome={attempt.outcome ?? "running"} className="rounded-md border border-slate-200 bg-white">
      <header className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-3 py-2">
        <h4 className="text-sm font-semibold">Attempt {attempt.attempt}</h4>
        {running ? (
          <span className="inline-flex items-center gap-1.5 text-xs text-blue-700">
            <Spinner label={`attempt ${attempt.attempt} running`} /> running
          </span>
        ) : (
          <StatusBadge status={attempt.outcome ?? (unfinished ? "unfinished" : (attempt.status ?? "unknown"))} testId="attempt-outcome" />
        )}
        {attempt.status && attempt.status !== "running" ? <span className="text-xs text-slate-500">agent status: {attempt.status}</span> : null}
        <span className="ml-auto flex items-center gap-3 text-xs text-slate-600">
          <span>
            reward <strong data-testid="attempt-reward">{formatScore(attempt.rewardScore)}</strong>
          </span>
          <Elapsed
            since={attempt.startedAt}
            until={attempt.finishedAt}
            durationMs={timing(attempt, "total_ms")}
            running={running}
            testId="attempt-duration"
          />
        </span>
      </header>
      <div className="space-y-3 px-3 py-3">
        {given.length > 0 ? (
          <div data-testid="guidance-received" className="rounded-md bg-blue-50 p-2 text-xs text-blue-900">
            <p className="font-semibold">Guidance this attempt received</p>
            {given.map((note) => (
              <p key={note.sequence} className="mt-1 whitespace-pre-wrap">
                {note.note}
              </p>
            ))}
          </div>
        ) : null}
        <AttemptAgentInput stepId={step.stepId} attempt={attempt.attempt} running={running} />
        <Section title="Output">
          {attempt.output === null ? (
            <p className="text-sm text-slate-500">{running ? "Waiting for the agent…" : "No output recorded."}</p>
          ) : attempt.output === "" ? (
            <p className="text-sm text-slate-500">(empty output)</p>
          ) : (
            <OutputText text={attempt.output} />
          )}
        </Section>
        <ToolCalls tools={extras.tools} loading={extrasLoading} />
        {validation ? (
          <Section title="Validation">
            <p data-testid="validation-verdict" className="text-sm">
              {validation.valid === true ? (
                <Badge tone="good">valid</Badge>
              ) : (
                <Badge tone="bad">rejected</Badge>
              )}
              {typeof validation.error === "string" ? <span className="ml-2 text-red-700">{validation.error}</span> : null}
            </p>
            {next.length > 0 ? (
              <div data-testid="guidance-next" className="mt-2 rounded-md bg-amber-50 p-2 text-xs text-amber-900">
                <p className="font-semibold">Guidance for attempt {attempt.attempt + 1}</p>
                {next.map((note) => (
                  <p key={note.sequence} className="mt-1 whitespace-pre-wrap">
                    {note.note}
                  </p>
                ))}
              </div>
            ) : typeof validation.guidance === "string" && validation.guidance ? (
              <p className="mt-2 text-xs whitespace-pre-wrap text-slate-700">Teacher guidance: {validation.guidance}</p>
            ) : null}
          </Section>
        ) : null}
        <JudgePanel panel={panel} testId={`judge-panel-${step.stepId}-${attempt.attempt}`} />
        <AttemptCallList stepId={step.stepId} attempt={attempt.attempt} running={running} />
        {attempt.timingsMs ? <Timings timings={attempt.timingsMs} /> : null}
        {previous && !running ? <AttemptDiff previous={previous} current={attempt} /> : null}
      </div>
    </article>
  );
}

/** JSON outputs read as labelled texts (real line breaks); the indented JSON is one click away. */
function OutputText({ text }: { text: string }) {
  const shown = useMemo(() => displayOutput(text), [text]);
  const fields = useMemo(() => readableFields(text), [text]);
  const [raw, setRaw] = useState(false);
  if (!fields || raw) {
    return (
      <div>
        <TextBlock text={shown.text} mono={shown.json} testId="attempt-output" className="rounded bg-slate-50 p-2" />
        {fields ? <RawToggle raw onToggle={() => setRaw(false)} /> : null}
      </div>
    );
  }
  return (
    <div>
      <dl data-testid="attempt-output" className="space-y-1 rounded bg-slate-50 p-2">
        {fields.map((field, index) => (
          <div key={index}>
            {field.path ? <dt className="font-mono text-[11px] text-slate-500">{field.path}</dt> : null}
            <dd>
              <TextBlock text={field.text} />
            </dd>
          </div>
        ))}
      </dl>
      <RawToggle raw={false} onToggle={() => setRaw(true)} />
    </div>
  );
}

function RawToggle({ raw, onToggle }: { raw: boolean; onToggle: () => void }) {
  return (
    <button type="button" data-testid="output-raw-toggle" onClick={onToggle} className="mt-1 text-xs font-medium text-blue-700 hover:underline">
      {raw ? "Show as text" : "Show the JSON"}
    </button>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section>
      <h5 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h5>
      {children}
    </section>
  );
}

function timing(attempt: AttemptDetail, key: string): number | null {
  const value = attempt.timingsMs?.[key];
  return typeof value === "number" ? value : null;
}

function Timings({ timings }: { timings: Record<string, unknown> }) {
  const parts = (["student_ms", "validation_ms", "reward_ms", "guidance_ms", "total_ms"] as const).flatMap((key) =>
    typeof timings[key] === "number" ? [`${key.replace("_ms", "")} ${formatDuration(timings[key] as number)}`] : [],
  );
  return (
    <p data-testid="attempt-timings" className="text-xs text-slate-500">
      Timings: {parts.join(" · ")}
    </p>
  );
}

function ToolCalls({ tools, loading }: { tools: ToolCallView[]; loading: boolean }) {
  if (tools.length === 0) {
    return loading ? <p className="text-xs text-slate-500">Loading tool calls…</p> : null;
  }
  return (
    <Section title={`Tool calls (${tools.length})`}>
      <ol className="space-y-2" data-testid="tool-calls">
        {tools.map((call) => (
          <li key={call.callId} data-testid="tool-call" className="rounded border border-slate-200 p-2 text-xs">
            <p className="font-mono">
              {call.tool}({JSON.stringify(call.arguments)})
            </p>
            {call.result ? (
              <div className="mt-1">
                <span className="text-slate-500">→ {formatDuration(call.result.durationMs)} </span>
                {call.result.error ? <span className="text-red-700">error: {call.result.error}</span> : null}
                <TextBlock text={call.result.output} mono limit={1500} />
              </div>
            ) : (
              <p className="mt-1 text-slate-500">waiting for the result…</p>
            )}
          </li>
        ))}
      </ol>
    </Section>
  );
}

function AttemptDiff({ previous, current }: { previous: AttemptDetail; current: AttemptDetail }) {
  const [open, setOpen] = useState(false);
  const delta =
    previous.rewardScore !== null && current.rewardScore !== null ? current.rewardScore - previous.rewardScore : null;
  return (
    <section data-testid="attempt-diff" className="rounded-md border border-slate-200 bg-slate-50 p-2 text-xs">
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-semibold text-slate-700">Compared with attempt {previous.attempt}</span>
        <span data-testid="reward-delta">
          reward {formatScore(previous.rewardScore)} → {formatScore(current.rewardScore)}
          {delta !== null ? ` (${delta >= 0 ? "+" : ""}${delta.toFixed(2)})` : previous.rewardScore === null ? " (previous attempt not judged)" : ""}
        </span>
        <button type="button" className="ml-auto font-medium text-blue-700 hover:underline" onClick={() => setOpen(!open)}>
          {open ? "Hide output diff" : "Show output diff"}
        </button>
      </div>
      {open ? <DiffLines before={previous.output ?? ""} after={current.output ?? ""} /> : null}
    </section>
  );
}

function DiffLines({ before, after }: { before: string; after: string }) {
  const diff = useMemo(() => diffLines(displayOutput(before).text, displayOutput(after).text), [before, after]);
  return (
    <div className="mt-2">
      <p className="text-slate-600">
        +{diff.added} −{diff.removed} lines{diff.approximate ? " (too large to align line by line)" : ""}
      </p>
      <pre data-testid="output-diff" className="mt-1 max-h-96 overflow-auto rounded bg-white p-2 font-mono text-[11px] leading-snug">
        {diff.lines.map((line, index) => (
          <div
            key={index}
            className={
              line.kind === "added" ? "bg-emerald-50 text-emerald-900" : line.kind === "removed" ? "bg-red-50 text-red-900" : "text-slate-600"
            }
          >
            {line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  "}
            {line.text}
          </div>
        ))}
      </pre>
    </div>
  );
}
