"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { configNameSaveProblem } from "@/lib/configs/names";
import type { ConfigSummary } from "@/lib/configs/types";
import { errorMessage } from "@/lib/errors";
import type { ConfigDraft } from "./draft";
import { configQueryOptions } from "./queries";

/**
 * Names a new config. With `copyOf` it starts from that text ("Save as…"); otherwise the user picks a
 * config to start from, or an empty text.
 */
export function NewConfigForm({
  title,
  copyOf,
  templates,
  existingNames,
  onCreate,
  onCancel,
}: {
  title: string;
  copyOf?: { name: string; yaml: string };
  templates: ConfigSummary[];
  existingNames: ReadonlySet<string>;
  onCreate: (draft: ConfigDraft) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [template, setTemplate] = useState(templates.find((config) => config.source === "example")?.name ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    const nameProblem = existingNames.has(trimmed)
      ? `a config named ${trimmed} already exists; open it or choose another name`
      : configNameSaveProblem(trimmed);
    if (nameProblem) {
      setProblem(nameProblem);
      return;
    }
    setBusy(true);
    try {
      const start = copyOf ?? (template ? { name: template, yaml: (await queryClient.fetchQuery(configQueryOptions(template))).yaml } : null);
      onCreate({ name: trimmed, yaml: start?.yaml ?? "", description: description.trim(), basedOn: start?.name ?? null });
    } catch (error) {
      setProblem(`cannot load ${template}: ${errorMessage(error)}`);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} data-testid="new-config-form" aria-labelledby={`${id}-title`} className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3">
      <h3 id={`${id}-title`} className="text-sm font-semibold">
        {title}
      </h3>
      <div>
        <label htmlFor={`${id}-name`} className="block text-xs font-medium text-slate-700">
          Name
        </label>
        <input
          id={`${id}-name`}
          data-testid="new-config-name"
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            setProblem(null);
          }}
          placeholder="team/support-agent"
          autoFocus
          aria-invalid={problem !== null}
          aria-describedby={problem ? `${id}-problem` : undefined}
          className="mt-1 w-full rounded border border-slate-300 px-2 py-1 font-mono text-sm"
        />
      </div>
      {copyOf ? (
        <p className="text-xs text-slate-600">
          Starts from the text of <span className="font-mono">{copyOf.name}</span> as shown in the editor.
        </p>
      ) : (
        <div>
          <label htmlFor={`${id}-template`} className="block text-xs font-medium text-slate-700">
            Start from
          </label>
          <select
            id={`${id}-template`}
            value={template}
            onChange={(event) => setTemplate(event.target.value)}
            className="mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm"
          >
            {templates.map((config) => (
              <option key={config.name} value={config.name}>
                {config.name}
              </option>
            ))}
            <option value="">(empty text)</option>
          </select>
        </div>
      )}
      <div>
        <label htmlFor={`${id}-description`} className="block text-xs font-medium text-slate-700">
          Description (optional)
        </label>
        <input
          id={`${id}-description`}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          maxLength={500}
          className="mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm"
        />
      </div>
      {problem ? (
        <p id={`${id}-problem`} role="alert" className="text-xs text-red-700">
          {problem}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={busy} data-testid="new-config-create">
          Create draft
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      <p className="text-xs text-slate-500">Nothing is stored until you save the draft.</p>
    </form>
  );
}
