"use client";

import { yaml } from "@codemirror/lang-yaml";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { basicSetup, EditorView } from "codemirror";
import { useEffect, useImperativeHandle, useRef, type Ref } from "react";
import { parseConfigText } from "@/lib/config";
import { issueRange } from "@/lib/configs/issue-range";
import { schemaAssist } from "./schema-assist";

export interface YamlEditorHandle {
  /** Moves the cursor to a 1-based line and column and focuses the editor. */
  focusAt(line: number, column: number): void;
}

/** Runs the same parse and schema as the server, so the editor shows what a save would refuse. */
function configDiagnostics(view: EditorView): Diagnostic[] {
  const text = view.state.doc.toString();
  const parsed = parseConfigText(text);
  if (parsed.ok) return [];
  return parsed.issues.map((issue) => ({
    ...issueRange(text, issue),
    severity: "error",
    source: "atlas config",
    message: issue.path ? `${issue.path}: ${issue.message}` : issue.message,
  }));
}

const editorTheme = EditorView.theme({
  "&": { height: "30rem", fontSize: "13px", border: "1px solid rgb(203 213 225)", borderRadius: "0.375rem" },
  "&.cm-focused": { outline: "2px solid rgb(15 23 42)", outlineOffset: "1px" },
  ".cm-scroller": { overflow: "auto", fontFamily: "var(--font-mono)" },
});

export function YamlEditor({
  initialText,
  readOnly,
  label,
  onChange,
  ref,
}: {
  /** Read once: to show another text, remount the editor with a new `key`. */
  initialText: string;
  readOnly: boolean;
  label: string;
  /** Receives the whole text after each change. Read once, so pass a stable function (a state setter). */
  onChange: (text: string) => void;
  ref?: Ref<YamlEditorHandle>;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);

  // CodeMirror is an external system that owns its DOM: create it once per mount, destroy it on unmount.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: initialText,
        extensions: [
          basicSetup,
          yaml(),
          linter(configDiagnostics, { delay: 300 }),
          schemaAssist(),
          lintGutter(),
          editorTheme,
          EditorState.readOnly.of(readOnly),
          EditorView.contentAttributes.of({ "aria-label": label, "aria-readonly": String(readOnly) }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  }, []); // props are read once per mount (see their docs)

  useImperativeHandle(
    ref,
    () => ({
      focusAt(line, column) {
        const view = viewRef.current;
        if (!view) return;
        const text = view.state.doc.toString();
        const { from } = issueRange(text, { line, column });
        view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
        view.focus();
      },
    }),
    [],
  );

  return <div ref={hostRef} data-testid="config-editor" data-readonly={readOnly ? "true" : "false"} />;
}
