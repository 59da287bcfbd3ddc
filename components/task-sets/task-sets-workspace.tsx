"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { experimentKeys, taskSetsQuery } from "@/components/experiments/queries";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorNotice } from "@/components/ui/error-notice";
import { formatTimestamp } from "@/components/ui/format";
import { AtlasError } from "@/lib/errors";
import { fetchJson } from "@/lib/http/api-client";
import type { CreateTaskSet, TaskSetCreated } from "@/lib/task-sets/api-types";
import { detectTaskFileFormat, parseTaskFile } from "@/lib/task-sets/parse";

/** Import a JSONL or CSV file (or pasted text) as a named task set; below it, the stored sets. */
export function TaskSetsWorkspace() {
  const queryClient = useQueryClient();
  const sets = useQuery(taskSetsQuery());
  const [name, setName] = useState("");
  const [fileName, setFileName] = useState("tasks.jsonl");
  const [text, setText] = useState("");
  const [parseError, setParseError] = useState<AtlasError | null>(null);

  const create = useMutation<TaskSetCreated, AtlasError, CreateTaskSet>({
    mutationFn: (body) => fetchJson<TaskSetCreated>("/api/task-sets", { method: "POST", body: JSON.stringify(body) }),
    onSuccess: () => {
      setText("");
      setName("");
      void queryClient.invalidateQueries({ queryKey: experimentKeys.taskSets });
    },
  });

  async function chooseFile(file: File | undefined) {
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
    if (!name) setName(file.name.replace(/\.(jsonl|csv|json)$/i, ""));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setParseError(null);
    create.reset();
    let tasks;
    try {
      tasks = parseTaskFile(text, detectTaskFileFormat(fileName, text), fileName);
    } catch (error) {
      setParseError(error instanceof AtlasError ? error : new AtlasError("invalid_input", String(error)));
      return;
    }
    create.mutate({ name: name.trim(), tasks });
  }

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card title="Import a task set">
        <form onSubmit={submit} className="space-y-4" aria-label="Import a task set">
          <label className="block">
            <span className="text-sm font-medium text-slate-700">Name</span>
            <input
              data-testid="task-set-name"
              required
              value={name}
              onChange={(event) => setName(event.target.value)}
              className="mt-1 w-full rounded-md border border-slate-300 p-2 text-sm"
            />
          </label>
          <label className="block">
            <span className="text-sm font-medium text-slate-700">File (JSONL with a task per line, or CSV with a task column)</span>
            <input
              data-testid="task-set-file"
              type="file"
              accept=".jsonl,.json,.csv,text/csv,application/jsonl"
              onChange={(event) => void chooseFile(event.target.files?.[0])}
              className="mt-1 block text-sm"
            />
          </label>
          <label className="block">
            <span className="text-sm font-medium text-slate-700">…or paste the lines</span>
            <textarea
              data-testid="task-set-text"
              rows={8}
              value={text}
              onChange={(event) => setText(event.target.value)}
              placeholder={'{"task": "Plan a team offsite", "expected_answer": "…", "metadata": {"difficulty": "easy"}}'}
              className="mt-1 w-full rounded-md border border-slate-300 p-2 font-mono text-xs"
            />
          </label>
          <Button type="submit" data-testid="task-set-import" disabled={create.isPending || text.trim() === "" || name.trim() === ""}>
            Import
          </Button>
          {parseError ? <ErrorNotice error={parseError} title="Nothing was stored" /> : null}
          {create.isError ? <ErrorNotice error={create.error} title="Nothing was stored" /> : null}
          {create.isSuccess ? (
            <p role="status" data-testid="task-set-created" className="text-sm text-emerald-700">
              Stored “{create.data.name}” with {create.data.count} tasks.
            </p>
          ) : null}
        </form>
      </Card>
      <Card title="Task sets">
        {sets.isError ? (
          <ErrorNotice error={sets.error as AtlasError} title="Could not load the task sets" />
        ) : (sets.data?.taskSets.length ?? 0) === 0 ? (
          <EmptyState title="No task sets yet">Import one to run experiments over it.</EmptyState>
        ) : (
          <table className="w-full text-sm" data-testid="task-set-list">
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="py-1">Name</th>
                <th>Tasks</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {sets.data?.taskSets.map((set) => (
                <tr key={set.id} className="border-t border-slate-100">
                  <td className="py-1 font-medium">{set.name}</td>
                  <td>{set.count}</td>
                  <td className="text-slate-500">{formatTimestamp(set.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
