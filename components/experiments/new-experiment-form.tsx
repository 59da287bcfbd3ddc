"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNotice } from "@/components/ui/error-notice";
import type { AtlasError } from "@/lib/errors";
import type { CreateExperiment, ExperimentAccepted, ReferenceScorer } from "@/lib/experiments/api-types";
import { fetchJson } from "@/lib/http/api-client";
import { launchConfigsQuery } from "@/lib/session-view/queries";
import { experimentKeys, taskSetsQuery } from "./queries";

const SCORERS = {
  exact: { label: "exact match (ignoring case and whitespace)", scorer: { type: "exact" } },
  contains: { label: "the answer contains the expected answer", scorer: { type: "contains" } },
  regex: { label: "the expected answer is a regular expression", scorer: { type: "regex", flags: "i" } },
  numeric: { label: "numeric, within 0.01 of the expected number", scorer: { type: "numeric", tolerance: 0.01 } },
  json_subset: { label: "the answer's JSON contains the expected JSON", scorer: { type: "json_subset" } },
  judge: { label: "an LLM judge (the arm's rim.large_model) grades against the reference", scorer: { type: "judge" } },
} satisfies Record<string, { label: string; scorer: ReferenceScorer }>;
type ScorerChoice = keyof typeof SCORERS;

/** Pick a task set and two or more configs (each one arm, pinned to its current version), then start. */
export function NewExperimentForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const sets = useQuery(taskSetsQuery());
  const configs = useQuery(launchConfigsQuery());
  const [taskSetId, setTaskSetId] = useState<number | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [name, setName] = useState("");
  const [repeats, setRepeats] = useState(1);
  const [maxCost, setMaxCost] = useState("");
  const [scorer, setScorer] = useState<ScorerChoice>("exact");
  const setList = sets.data?.taskSets ?? [];
  const selectedSet = taskSetId ?? setList[0]?.id ?? null;

  const start = useMutation<ExperimentAccepted, AtlasError, CreateExperiment>({
    mutationFn: (body) => fetchJson<ExperimentAccepted>("/api/experiments", { method: "POST", body: JSON.stringify(body) }),
    onSuccess: (accepted) => {
      void queryClient.invalidateQueries({ queryKey: experimentKeys.list });
      router.push(`/experiments/${accepted.experimentId}`);
    },
  });

  const cost = maxCost.trim() === "" ? undefined : Number(maxCost);
  const costValid = cost === undefined || (Number.isFinite(cost) && cost > 0);
  const canStart = selectedSet !== null && chosen.length > 0 && costValid && !start.isPending && !start.isSuccess;

  function toggle(configName: string) {
    setChosen((current) => (current.includes(configName) ? current.filter((item) => item !== configName) : [...current, configName]));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!canStart || selectedSet === null) return;
    start.mutate({
      ...(name.trim() ? { name: name.trim() } : {}),
      taskSetId: selectedSet,
      arms: chosen.map((configName) => ({ config: { name: configName } })),
      repeats,
      ...(cost !== undefined ? { maxCostUsd: cost } : {}),
      scorer: SCORERS[scorer].scorer,
    });
  }

  return (
    <Card title="Start an experiment">
      <form onSubmit={submit} className="space-y-4" aria-label="Start an experiment">
        <label className="block">
          <span className="text-sm font-medium text-slate-700">Task set</span>
          <select
            data-testid="experiment-task-set"
            value={selectedSet ?? ""}
            onChange={(event) => setTaskSetId(Number(event.target.value))}
            className="mt-1 w-full rounded-md border border-slate-300 p-2 text-sm"
          >
            {setList.map((set) => (
              <option key={set.id} value={set.id}>
                {set.name} ({set.count} tasks)
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Arms: one per config (in the order you tick them; the first is the baseline)</legend>
          <ul className="mt-1 max-h-48 space-y-1 overflow-auto text-sm" data-testid="experiment-configs">
            {(configs.data?.configs ?? []).map((config) => (
              <li key={config.name}>
                <label className="flex items-center gap-2">
                  <input type="checkbox" checked={chosen.includes(config.name)} onChange={() => toggle(config.name)} aria-label={config.name} />
                  <span className="font-mono">{config.name}</span>
                  {chosen.includes(config.name) ? <span className="text-xs text-slate-500">arm {chosen.indexOf(config.name) + 1}</span> : null}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="grid grid-cols-3 gap-3">
          <label className="block">
            <span className="text-sm font-medium text-slate-700">Name</span>
            <input data-testid="experiment-name" value={name} onChange={(event) => setName(event.target.value)} className="mt-1 w-full rounded-md border border-slate-300 p-2 text-sm" />
          </label>
          <label className="block">
            <span className="text-sm font-medium text-slate-700">Repeats</span>
            <input
              data-testid="experiment-repeats"
              type="number"
              min={1}
              max={100}
              value={repeats}
              onChange={(event) => setRepeats(Math.max(1, Math.min(100, Math.trunc(Number(event.target.value)) || 1)))}
              className="mt-1 w-full rounded-md border border-slate-300 p-2 text-sm"
            />
          </label>
          <label className="block">
            <span className="text-sm font-medium text-slate-700">Max cost (USD)</span>
            <input
              data-testid="experiment-max-cost"
              inputMode="decimal"
              value={maxCost}
              onChange={(event) => setMaxCost(event.target.value)}
              aria-invalid={!costValid}
              className="mt-1 w-full rounded-md border border-slate-300 p-2 text-sm"
            />
          </label>
        </div>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">Reference scoring (tasks with an expected answer)</span>
          <select
            data-testid="experiment-scorer"
            value={scorer}
            onChange={(event) => setScorer(event.target.value as ScorerChoice)}
            className="mt-1 w-full rounded-md border border-slate-300 p-2 text-sm"
          >
            {Object.entries(SCORERS).map(([key, choice]) => (
              <option key={key} value={key}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        {!costValid ? <p className="text-sm text-red-700">Max cost must be a positive number of dollars.</p> : null}
        <Button type="submit" data-testid="experiment-start" disabled={!canStart}>
          Start experiment
        </Button>
        {start.isError ? <ErrorNotice error={start.error} title="The experiment was not started" /> : null}
      </form>
    </Card>
  );
}
