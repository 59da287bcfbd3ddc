"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorNotice } from "@/components/ui/error-notice";
import { Spinner } from "@/components/ui/spinner";
import type { AtlasError } from "@/lib/errors";
import { fetchJson } from "@/lib/http/api-client";
import { parseJsonObjectInput } from "@/lib/session-view/json-input";
import { launchConfigQuery, launchConfigsQuery, launchSourceQuery, overviewKey, sessionKeys } from "@/lib/session-view/queries";
import type { RunAccepted, RunRequest } from "@/lib/sessions/api-types";
import { ConfigCheck } from "./config-check";
import { ConfigPicker, defaultConfigName } from "./config-picker";

const ERROR_TITLES: Partial<Record<string, string>> = {
  invalid_config: "The config is invalid",
  missing_secret: "A required API key is not set on the server",
  unavailable: "The server cannot start runs right now",
  invalid_input: "The request was rejected",
  not_found: "The config was not found",
};

export function LaunchForm() {
  const router = useRouter();
  const search = useSearchParams();
  const queryClient = useQueryClient();
  const configs = useQuery(launchConfigsQuery());
  const sourceId = sourceSessionId(search.get("session"));
  const source = useQuery({ ...launchSourceQuery(sourceId ?? 0), enabled: sourceId !== null });
  const [chosen, setChosen] = useState<string | null>(null);
  // Until the user types, the task is the re-launched session's (or a short ?task= link's).
  const [typedTask, setTypedTask] = useState<string | null>(null);
  const task = typedTask ?? source.data?.task ?? search.get("task") ?? "";
  const setTask = (value: string) => setTypedTask(value);
  const [metadataText, setMetadataText] = useState("");
  const list = configs.data?.configs ?? [];
  const selected = chosen ?? defaultConfigName(list, source.data?.configName ?? search.get("config"));
  const preview = useQuery({ ...launchConfigQuery(selected ?? ""), enabled: selected !== null });
  const metadata = parseJsonObjectInput(metadataText);

  const launch = useMutation<RunAccepted, AtlasError, RunRequest>({
    mutationFn: (request) => fetchJson<RunAccepted>("/api/runs", { method: "POST", body: JSON.stringify(request) }),
    onSuccess: (accepted) => {
      void queryClient.invalidateQueries({ queryKey: sessionKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: overviewKey });
      router.push(`/sessions/${accepted.sessionId}`);
    },
  });

  const canLaunch = task.trim().length > 0 && selected !== null && metadata.ok && !launch.isPending && !launch.isSuccess;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!canLaunch || !metadata.ok || !selected) return;
    launch.mutate({ task: task.trim(), config: { name: selected }, ...(metadata.value ? { metadata: metadata.value } : {}) });
  }

  return (
    <form onSubmit={submit} className="grid gap-6 lg:grid-cols-2" aria-label="Launch a run">
      <div className="space-y-5">
        {sourceId !== null && source.isPending ? (
          <p data-testid="launch-source-loading" className="flex items-center gap-2 text-sm text-slate-600">
            <Spinner /> Loading the task of session {sourceId}…
          </p>
        ) : null}
        {source.isError ? (
          <div data-testid="launch-source-error">
            <ErrorNotice error={source.error as AtlasError} title={`Could not load session ${sourceId} to run it again`} />
          </div>
        ) : null}
        <label className="block">
          <span className="text-sm font-medium text-slate-700">Task</span>
          <textarea
            data-testid="task-input"
            required
            rows={5}
            value={task}
            onChange={(event) => setTask(event.target.value)}
            placeholder="What should the agent do? e.g. Plan a two-day team offsite for 12 people"
            className="mt-1 w-full rounded-md border border-slate-300 p-2 text-sm"
          />
        </label>
        {configs.isPending ? (
          <p className="flex items-center gap-2 text-sm text-slate-600">
            <Spinner /> Loading configs…
          </p>
        ) : configs.isError ? (
          <ErrorNotice error={configs.error as AtlasError} title="Could not load the configs" />
        ) : list.length === 0 ? (
          <EmptyState title="No configs yet">
            Save one on the{" "}
            <Link href="/configs" className="text-blue-700 hover:underline">
              Configs page
            </Link>{" "}
            or add YAML files under configs/examples.
          </EmptyState>
        ) : (
          <ConfigPicker configs={list} selected={selected} onSelect={setChosen} />
        )}
        <label className="block">
          <span className="text-sm font-medium text-slate-700">Session metadata (optional JSON object)</span>
          <textarea
            data-testid="metadata-input"
            rows={4}
            value={metadataText}
            onChange={(event) => setMetadataText(event.target.value)}
            placeholder='{"ticket": "OPS-42", "team": "support"}'
            aria-invalid={!metadata.ok}
            className={`mt-1 w-full rounded-md border p-2 font-mono text-xs ${metadata.ok ? "border-slate-300" : "border-red-400"}`}
          />
          {!metadata.ok ? (
            <span data-testid="metadata-error" role="alert" className="mt-1 block text-xs text-red-700">
              Line {metadata.line}, column {metadata.column}: {metadata.message}
            </span>
          ) : (
            <span className="mt-1 block text-xs text-slate-500">Stored with the session and included in exports.</span>
          )}
        </label>
        {selected ? <ConfigCheck name={selected} /> : null}
        {launch.error ? (
          <div data-testid="launch-error">
            <ErrorNotice error={launch.error} title={ERROR_TITLES[launch.error.code] ?? "Could not launch the run"} />
          </div>
        ) : null}
        <div className="flex items-center gap-3">
          <Button type="submit" data-testid="launch-button" disabled={!canLaunch}>
            {launch.isPending || launch.isSuccess ? (
              <>
                <Spinner label="launching" /> Launching…
              </>
            ) : (
              "Launch"
            )}
          </Button>
          {!selected && list.length > 0 ? <span className="text-xs text-slate-500">Pick a valid config first.</span> : null}
        </div>
      </div>
      <div>
        <h2 className="mb-2 text-sm font-medium text-slate-700">
          {selected ? (
            <>
              {selected}
              {preview.data?.version ? ` · v${preview.data.version}` : ""} <span className="font-normal text-slate-500">(read-only preview)</span>
            </>
          ) : (
            "Config preview"
          )}
        </h2>
        {preview.isError ? <ErrorNotice error={preview.error as AtlasError} title="Could not load the config" /> : null}
        <pre
          data-testid="config-preview"
          className="max-h-[36rem] min-h-48 overflow-auto rounded-md border border-slate-200 bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100"
        >
          {selected === null ? "Pick a config to see its YAML." : preview.isPending ? "Loading…" : (preview.data?.yaml ?? "")}
        </pre>
      </div>
    </form>
  );
}

function sourceSessionId(value: string | null): number | null {
  if (value === null || !/^[1-9]\d{0,9}$/.test(value)) return null;
  return Number(value);
}
