"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNotice } from "@/components/ui/error-notice";
import { parseConfigText } from "@/lib/config";
import { diffLines } from "@/lib/configs/line-diff";
import type { ConfigDetail, ConfigSummary } from "@/lib/configs/types";
import { isAtlasError, type Issue } from "@/lib/errors";
import type { ConfigDraft } from "./draft";
import { IssuesList } from "./issues-list";
import { LineDiffView } from "./line-diff-view";
import { NewConfigForm } from "./new-config-form";
import { configKeys, configQueryOptions, configVersionQueryOptions, saveConfig, validateConfigOnServer } from "./queries";
import { ServerValidation } from "./server-validation";
import { VersionHistory } from "./version-history";
import { YamlEditor, type YamlEditorHandle } from "./yaml-editor";

interface PanelProps {
  name: string;
  /** Set while the config exists only in the browser. */
  draft: ConfigDraft | null;
  /** The text the editor opens with (read once per mount). */
  initialText: string;
  /** The stored config, when it is stored (loaded by the caller before mounting). */
  initialDetail: ConfigDetail | undefined;
  templates: ConfigSummary[];
  existingNames: ReadonlySet<string>;
  onStartDraft: (draft: ConfigDraft) => void;
  /** A draft was saved: it is an ordinary stored config from now on. */
  onDraftSaved: () => void;
}

function isStaleVersionConflict(error: unknown): boolean {
  return isAtlasError(error) && error.code === "conflict" && error.message.includes("changed since you opened it");
}

export function ConfigEditorPanel({ name, draft, initialText, initialDetail, templates, existingNames, onStartDraft, onDraftSaved }: PanelProps) {
  const queryClient = useQueryClient();
  const detailQuery = useQuery({ ...configQueryOptions(name), enabled: draft === null });
  const detail = draft === null ? detailQuery.data : undefined;
  const readOnly = draft === null && (initialDetail?.readOnly ?? true);

  const editorRef = useRef<YamlEditorHandle>(null);
  const [text, setText] = useState(initialText);
  /** The version this edit started from: what the server must still have as latest when we save. */
  const [baseVersion, setBaseVersion] = useState(draft ? 0 : (initialDetail?.version ?? 0));
  const [comparedVersion, setComparedVersion] = useState<number | null>(null);
  const [savingAs, setSavingAs] = useState(false);

  const issues = useMemo<Issue[]>(() => {
    const parsed = parseConfigText(text);
    return parsed.ok ? [] : parsed.issues;
  }, [text]);

  const comparedQuery = useQuery({ ...configVersionQueryOptions(name, comparedVersion ?? 0), enabled: comparedVersion !== null });
  const base = diffBase();
  const diff = useMemo(() => (base.text === undefined ? null : diffLines(base.text, text)), [base.text, text]);

  const save = useMutation({
    mutationFn: (variables: { yaml: string; expectedVersion: number }) =>
      saveConfig(name, { ...variables, ...(draft?.description ? { description: draft.description } : {}) }),
    onSuccess: async (result) => {
      // A verdict on an earlier text would sit next to "Saved as version N": it no longer applies.
      validate.reset();
      setBaseVersion(result.version);
      setComparedVersion(null);
      if (draft) {
        // Load the stored config before leaving draft mode, so the editor stays mounted through the switch.
        await queryClient.fetchQuery({ ...configQueryOptions(name), staleTime: 0 });
        onDraftSaved();
      } else {
        await queryClient.invalidateQueries({ queryKey: configKeys.detail(name) });
      }
      await queryClient.invalidateQueries({ queryKey: configKeys.list() });
    },
    onError: (error) => {
      if (isStaleVersionConflict(error)) void queryClient.invalidateQueries({ queryKey: configKeys.detail(name) });
    },
  });
  const validate = useMutation({ mutationFn: validateConfigOnServer });

  async function saveOverNewerVersion() {
    const latest = await queryClient.fetchQuery({ ...configQueryOptions(name), staleTime: 0 });
    save.mutate({ yaml: text, expectedVersion: latest.version ?? 0 });
  }

  function diffBase(): { label: string; text: string | undefined } {
    if (comparedVersion !== null) return { label: `version ${comparedVersion}`, text: comparedQuery.data?.yaml };
    if (draft) return { label: draft.basedOn ?? "the empty text", text: draft.yaml };
    if (!detail) return { label: "the stored text", text: undefined };
    if (detail.source === "example") return { label: "the example file", text: detail.yaml };
    return { label: `version ${detail.version} (latest)`, text: detail.yaml };
  }

  const dirty = detail ? text !== detail.yaml : true;

  return (
    <section aria-labelledby="config-editor-title" data-testid="config-panel" data-name={name} className="space-y-4">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="config-editor-title" className="font-mono text-lg font-semibold">
            {name}
          </h2>
          <span data-testid="config-version" className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
            {versionLabel(draft, detail, baseVersion)}
          </span>
          {readOnly ? (
            <span data-testid="read-only-badge" className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">
              read-only
            </span>
          ) : null}
          {!readOnly && dirty ? <span className="text-xs text-slate-500">unsaved changes</span> : null}
        </div>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={() => validate.mutate(text)} disabled={validate.isPending}>
            Validate on server
          </Button>
          {readOnly ? null : (
            <Button onClick={() => save.mutate({ yaml: text, expectedVersion: baseVersion })} disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save"}
            </Button>
          )}
          <Button variant="secondary" onClick={() => setSavingAs(true)} aria-expanded={savingAs}>
            Save as…
          </Button>
        </div>
      </header>

      {readOnly ? (
        <p className="text-sm text-slate-600">
          {initialDetail?.source === "example"
            ? "Examples are files shipped with Atlas and cannot be changed here. Use “Save as…” to edit a copy."
            : "This config holds YAML pinned by runs and cannot be changed. Use “Save as…” to edit a copy."}
        </p>
      ) : null}

      {savingAs ? (
        <NewConfigForm
          title={`Save ${name} as a new config`}
          copyOf={{ name, yaml: text }}
          templates={templates}
          existingNames={existingNames}
          onCreate={(newDraft) => {
            setSavingAs(false);
            onStartDraft(newDraft);
          }}
          onCancel={() => setSavingAs(false)}
        />
      ) : null}

      <YamlEditor ref={editorRef} initialText={initialText} readOnly={readOnly} label={`YAML of config ${name}`} onChange={setText} />

      <IssuesList issues={issues} onSelect={(issue) => editorRef.current?.focusAt(issue.line ?? 1, issue.column ?? 1)} />

      <div aria-live="polite" className="space-y-2">
        {validate.isSuccess ? <ServerValidation result={validate.data} stale={validate.variables !== text} /> : null}
        {validate.isError ? <ErrorNotice title="The server could not validate" error={validate.error} /> : null}
        {save.isSuccess ? (
          <p data-testid="save-result" className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-800">
            {save.data.created ? `Saved as version ${save.data.version}.` : `No changes: version ${save.data.version} already has this text.`}
          </p>
        ) : null}
        {save.isError ? (
          <div data-testid="save-error" className="space-y-2">
            <ErrorNotice title="Not saved" error={save.error} />
            {isStaleVersionConflict(save.error) ? (
              <p className="text-sm text-slate-700">
                The diff below now compares your text with the newer version.{" "}
                <Button variant="danger" onClick={saveOverNewerVersion} disabled={save.isPending}>
                  Save over the newer version
                </Button>
              </p>
            ) : null}
          </div>
        ) : null}
      </div>

      {/* minmax(0, …) and min-w-0: one long line scrolls inside the diff instead of widening the page. */}
      <div className="grid gap-4 xl:grid-cols-[20rem_minmax(0,1fr)]">
        <section aria-labelledby="config-history-title" className="min-w-0">
          <h3 id="config-history-title" className="mb-2 text-sm font-semibold">
            Version history
          </h3>
          <VersionHistory
            versions={detail?.versions ?? []}
            comparedVersion={comparedVersion}
            onCompare={(version) => setComparedVersion(version === comparedVersion ? null : version)}
          />
        </section>
        <section aria-labelledby="config-diff-title" className="min-w-0">
          <h3 id="config-diff-title" className="mb-2 text-sm font-semibold">
            Diff
          </h3>
          {diff ? <LineDiffView lines={diff} baseLabel={base.label} /> : <p className="text-sm text-slate-600">Loading {base.label}…</p>}
          {comparedQuery.isError ? <ErrorNotice error={comparedQuery.error} /> : null}
        </section>
      </div>
    </section>
  );
}

function versionLabel(draft: ConfigDraft | null, detail: ConfigDetail | undefined, baseVersion: number): string {
  if (draft) return "unsaved draft";
  if (detail?.source === "example") return detail.version === null ? "not run yet" : `pinned as v${detail.version}`;
  return `v${baseVersion}`;
}
