"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNotice } from "@/components/ui/error-notice";
import type { ConfigSummary } from "@/lib/configs/types";
import { ConfigEditorPanel } from "./config-editor-panel";
import { ConfigList } from "./config-list";
import type { ConfigDraft } from "./draft";
import { NewConfigForm } from "./new-config-form";
import { configListQueryOptions, configQueryOptions } from "./queries";

/** The list of configs beside the editor of the one named in `?name=`. */
export function ConfigsWorkspace() {
  const router = useRouter();
  const selectedName = useSearchParams().get("name");
  const list = useQuery(configListQueryOptions());
  const [draft, setDraft] = useState<ConfigDraft | null>(null);
  const [creating, setCreating] = useState(false);

  const configs = list.data ?? [];
  const existingNames = new Set(configs.map((config) => config.name));
  const activeDraft = draft !== null && draft.name === selectedName ? draft : null;

  function open(name: string) {
    setCreating(false);
    router.push(`/configs?${new URLSearchParams({ name }).toString()}`);
  }

  function startDraft(newDraft: ConfigDraft) {
    setDraft(newDraft);
    open(newDraft.name);
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[18rem_minmax(0,1fr)]">
      <aside className="space-y-4">
        <Button onClick={() => setCreating(true)} aria-expanded={creating} data-testid="new-config">
          New config
        </Button>
        {creating ? (
          <NewConfigForm
            title="New config"
            templates={configs}
            existingNames={existingNames}
            onCreate={startDraft}
            onCancel={() => setCreating(false)}
          />
        ) : null}
        {list.isPending ? <p className="text-sm text-slate-600">Loading configs…</p> : null}
        {list.isError ? <ErrorNotice title="Cannot list configs" error={list.error} /> : null}
        {list.isSuccess ? <ConfigList configs={configs} selectedName={selectedName} onOpen={open} /> : null}
      </aside>
      <div className="min-w-0">
        {selectedName ? (
          <ConfigEditorLoader
            key={selectedName}
            name={selectedName}
            draft={activeDraft}
            templates={configs}
            existingNames={existingNames}
            onStartDraft={startDraft}
            onDraftSaved={() => setDraft(null)}
          />
        ) : (
          <p className="rounded-md border border-dashed border-slate-300 p-6 text-sm text-slate-600">
            Choose a config to view or edit it, or create a new one from an example.
          </p>
        )}
      </div>
    </div>
  );
}

function ConfigEditorLoader({
  name,
  draft,
  templates,
  existingNames,
  onStartDraft,
  onDraftSaved,
}: {
  name: string;
  draft: ConfigDraft | null;
  templates: ConfigSummary[];
  existingNames: ReadonlySet<string>;
  onStartDraft: (draft: ConfigDraft) => void;
  onDraftSaved: () => void;
}) {
  const detail = useQuery({ ...configQueryOptions(name), enabled: draft === null });
  const shared = { name, templates, existingNames, onStartDraft, onDraftSaved };

  // Both branches render the panel at the same place with the same key, so saving a draft keeps the editor.
  if (draft) return <ConfigEditorPanel key={name} {...shared} draft={draft} initialText={draft.yaml} initialDetail={undefined} />;
  if (detail.isPending) return <p className="text-sm text-slate-600">Loading {name}…</p>;
  if (detail.isError) return <ErrorNotice title={`Cannot open ${name}`} error={detail.error} />;
  return <ConfigEditorPanel key={name} {...shared} draft={null} initialText={detail.data.yaml} initialDetail={detail.data} />;
}
