"use client";

import { Badge } from "@/components/ui/badge";
import { formatScore } from "@/components/ui/format";
import { Spinner } from "@/components/ui/spinner";
import type { JudgePanelView, JudgeView, SampleView } from "@/lib/session-view/judging";

/** Tier-1 samples, disagreement against the thresholds, escalation, arbiter and aggregate. */
export function JudgePanel({ panel, testId }: { panel: JudgePanelView; testId: string }) {
  if (panel.skippedReason) {
    return (
      <p data-testid={`${testId}-skipped`} className="text-sm text-slate-500">
        {panel.skippedReason}
      </p>
    );
  }
  if (panel.judges.length === 0) return null;
  return (
    <section data-testid={testId} aria-label="Judge panel" className="rounded-md border border-slate-200">
      <header className="flex items-center justify-between border-b border-slate-100 bg-slate-50 px-3 py-2">
        <h4 className="text-sm font-semibold text-slate-800">Judges</h4>
        <span className="text-sm text-slate-700">
          {panel.judging ? (
            <span className="inline-flex items-center gap-2 text-blue-700">
              <Spinner label="judging" /> judging…
            </span>
          ) : (
            <span title="The step reward: the weighted mean of the judges' outcomes">
              Aggregate <strong data-testid="aggregate-score">{formatScore(panel.aggregate)}</strong>
              {panel.aggregateFormula ? (
                <span data-testid="aggregate-formula" className="ml-2 font-mono text-xs text-slate-500">
                  {panel.aggregateFormula}
                </span>
              ) : null}
            </span>
          )}
        </span>
      </header>
      <div className="divide-y divide-slate-100">
        {panel.judges.map((judge) => (
          <JudgeSection key={judge.judge} judge={judge} />
        ))}
      </div>
    </section>
  );
}

function JudgeSection({ judge }: { judge: JudgeView }) {
  return (
    <div data-testid={`judge-${judge.judge}`} className="px-3 py-3 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold text-slate-900">{judge.judge}</span>
        {judge.escalated ? (
          <Badge tone="warn" testId="escalated-badge">
            escalated
          </Badge>
        ) : judge.score !== null ? (
          <Badge tone="good">tier-1 agreed</Badge>
        ) : null}
        <span className="ml-auto text-slate-700">
          Outcome <strong data-testid="judge-score">{formatScore(judge.score)}</strong>
        </span>
      </div>
      <div className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-xs text-slate-600">
        <Measure
          label="spread (std-dev)"
          value={judge.spread}
          threshold={judge.varianceThreshold}
          exceeded={judge.spreadExceeded}
          testId="judge-spread"
        />
        <Measure
          label="max uncertainty"
          value={judge.maxUncertainty}
          threshold={judge.uncertaintyThreshold}
          exceeded={judge.uncertaintyExceeded}
          testId="judge-uncertainty"
        />
        {judge.thresholdsAssumed ? <span title="The session recorded no RIM thresholds">default thresholds</span> : null}
      </div>
      <p data-testid="judge-explanation" className="mt-1 text-xs text-slate-700">
        {judge.explanation}
      </p>
      {judge.samples.length > 0 ? <SamplesTable samples={judge.samples} /> : null}
      {judge.arbiter ? (
        <div data-testid="arbiter-decision" className="mt-2 rounded-md border border-amber-200 bg-amber-50 p-2">
          <p className="text-xs font-semibold text-amber-900">
            Arbiter decision{judge.arbiter.model ? ` (${judge.arbiter.model})` : ""}: {formatScore(judge.arbiter.score)}
            {judge.arbiter.failed ? " — the arbiter failed; the score defaulted" : ""}
          </p>
          <p className="mt-1 text-xs whitespace-pre-wrap text-slate-800">{judge.arbiter.rationale}</p>
          <Principles principles={judge.arbiter.principles} />
        </div>
      ) : judge.rationale && !judge.escalated ? (
        <p className="mt-2 text-xs whitespace-pre-wrap text-slate-700">
          <span className="font-medium">Rationale: </span>
          {judge.rationale}
        </p>
      ) : null}
    </div>
  );
}

function Measure({
  label,
  value,
  threshold,
  exceeded,
  testId,
}: {
  label: string;
  value: number | null;
  threshold: number;
  exceeded: boolean;
  testId: string;
}) {
  return (
    <span data-testid={testId} className={exceeded ? "font-semibold text-amber-800" : undefined}>
      {label} {value === null ? "—" : value.toFixed(3)} {exceeded ? ">" : "≤"} {threshold.toFixed(2)}
    </span>
  );
}

function SamplesTable({ samples }: { samples: SampleView[] }) {
  return (
    <table className="mt-2 w-full table-fixed text-left text-xs">
      <thead className="text-slate-500">
        <tr>
          <th className="w-16 py-1 font-medium">temp.</th>
          <th className="w-14 py-1 font-medium">score</th>
          <th className="w-20 py-1 font-medium">uncertainty</th>
          <th className="py-1 font-medium">rationale and principles</th>
        </tr>
      </thead>
      <tbody>
        {samples.map((sample, index) => (
          <tr key={index} data-testid="judge-sample" className="border-t border-slate-100 align-top">
            <td className="py-1 tabular-nums">{sample.temperature}</td>
            <td className="py-1 tabular-nums">{formatScore(sample.score)}</td>
            <td className="py-1 tabular-nums">{formatScore(sample.uncertainty)}</td>
            <td className="py-1">
              {sample.error ? (
                <span className="text-red-700">discarded: {sample.error}</span>
              ) : (
                <>
                  <span className="whitespace-pre-wrap text-slate-800">{sample.rationale}</span>
                  <Principles principles={sample.principles} />
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Principles({ principles }: { principles: { name: string; weight: number; description: string }[] }) {
  if (principles.length === 0) return null;
  return (
    <ul className="mt-1 flex flex-wrap gap-1">
      {principles.map((principle, index) => (
        <li key={index} title={principle.description} className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] text-slate-700">
          {principle.name} · {principle.weight.toFixed(2)}
        </li>
      ))}
    </ul>
  );
}
