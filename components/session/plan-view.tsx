"use client";

import { memo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { Plan } from "@/lib/trajectory";
import { dependencyIds } from "@/lib/session-view/plan-layout";
import type { SessionView } from "@/lib/session-view/types";
import { PlanGraph } from "./plan-graph";

/** The student's plan, the teacher's review and the dependency graph. */
export const PlanView = memo(function PlanView({
  plan,
  statuses,
  active,
  onSelectStep,
}: {
  plan: SessionView["plan"];
  statuses: Map<number, string>;
  active: boolean;
  onSelectStep: (stepId: number) => void;
}) {
  if (!plan) {
    return (
      <Card title="Plan" className="mb-6">
        <p data-testid="plan-pending" className="text-sm text-slate-500">
          {active ? "Waiting for the student's plan…" : "This session recorded no plan."}
        </p>
      </Card>
    );
  }
  const { review } = plan;
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          Plan <Badge>{plan.plan.steps.length} steps</Badge>
          {review ? <Badge tone="violet">{review.mode}</Badge> : <Badge tone="info">awaiting review</Badge>}
        </span>
      }
      className="mb-6"
    >
      <div data-testid="plan-view" className="space-y-4">
        <section data-testid="plan-review" aria-label="Teacher review" className="rounded-md bg-violet-50/60 p-3 text-sm">
          <h3 className="font-semibold text-violet-900">Teacher review</h3>
          {review ? (
            <>
              <p className="mt-1 text-slate-700">
                Mode: <strong>{review.mode}</strong>
              </p>
              <p className="mt-1 whitespace-pre-wrap text-slate-700">
                <span className="font-medium">Concerns: </span>
                {review.concerns ?? "none raised"}
              </p>
              <div className="mt-1 text-slate-700">
                <span className="font-medium">What changed: </span>
                {review.changes.length === 0 ? (
                  "nothing; the student's plan was kept as drafted"
                ) : (
                  <ul className="mt-1 list-disc pl-5">
                    {review.changes.map((change, index) => (
                      <li key={index}>{change}</li>
                    ))}
                  </ul>
                )}
              </div>
            </>
          ) : (
            <p className="mt-1 text-slate-500">The teacher has not reviewed the plan yet.</p>
          )}
        </section>
        <PlanGraph steps={plan.plan.steps} statuses={statuses} onSelect={onSelectStep} />
        {plan.originalPlan && review && !samePlan(plan.originalPlan, plan.plan) ? <OriginalPlan plan={plan.originalPlan} /> : null}
      </div>
    </Card>
  );
});

function OriginalPlan({ plan }: { plan: Plan }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="text-sm">
      <button type="button" className="font-medium text-blue-700 hover:underline" onClick={() => setOpen(!open)}>
        {open ? "Hide" : "Show"} the student's original plan ({plan.steps.length} steps)
      </button>
      {open ? (
        <ol className="mt-2 space-y-1" data-testid="original-plan">
          {plan.steps.map((step) => (
            <li key={step.id} className="text-slate-700">
              <span className="font-mono text-xs text-slate-500">#{step.id}</span> {step.description}
              {step.depends_on.length ? <span className="text-slate-500"> (after {dependencyIds(step).join(", ")})</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

function samePlan(a: Plan, b: Plan): boolean {
  if (a.steps.length !== b.steps.length) return false;
  return a.steps.every((step, index) => {
    const other = b.steps[index];
    return other !== undefined && other.id === step.id && other.description === step.description && String(step.depends_on) === String(other.depends_on);
  });
}
