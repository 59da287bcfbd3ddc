/**
 * The editor's help from the config's JSON Schema: completion of keys and allowed values at any depth
 * and each key's description on hover. (Misspelt keys get "did you mean" from the validator's message.)
 */
import type { Completion, CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import { EditorState, type Extension } from "@codemirror/state";
import { hoverTooltip } from "@codemirror/view";
import { keysAt, type KeyInfo } from "@/lib/config/schema-walk";
import { cursorContext } from "@/lib/config/yaml-cursor";

function completeFromSchema(context: CompletionContext): CompletionResult | null {
  const text = context.state.doc.toString();
  const place = cursorContext(text, context.pos);
  if (!place) return null;
  if (place.kind === "key") {
    if (place.prefix === "" && !context.explicit) return null;
    const options = keysAt(place.path).map(
      (key): Completion => ({ label: key.name, type: "property", detail: key.type ?? undefined, info: key.description ?? undefined, apply: `${key.name}: ` }),
    );
    return options.length === 0 ? null : { from: place.from, options, validFor: /^[\w.-]*$/ };
  }
  const key = keysAt(place.path).find((candidate) => candidate.name === place.key);
  if (!key || key.values.length === 0) return null;
  return { from: place.from, options: key.values.map((value): Completion => ({ label: value, type: "enum" })), validFor: /^[\w.-]*$/ };
}

/** The key under the pointer, with its path and description. */
const describeKey = hoverTooltip((view, pos) => {
  const line = view.state.doc.lineAt(pos);
  const match = /^(\s*(?:-\s+)*)([A-Za-z0-9_][A-Za-z0-9_.-]*):/.exec(line.text);
  if (!match) return null;
  const start = line.from + match[1]!.length;
  const end = start + match[2]!.length;
  if (pos < start || pos > end) return null;
  const place = cursorContext(view.state.doc.toString(), end);
  if (!place || place.kind !== "key") return null;
  const key = keysAt(place.path).find((candidate) => candidate.name === match[2]);
  if (!key) return null;
  return { pos: start, end, above: true, create: () => ({ dom: tooltipDom([...place.path, key.name].join("."), key) }) };
});

function tooltipDom(path: string, key: KeyInfo): HTMLElement {
  const dom = document.createElement("div");
  dom.setAttribute("data-testid", "schema-hover");
  dom.style.maxWidth = "28rem";
  dom.style.padding = "4px 8px";
  const title = document.createElement("div");
  title.style.fontWeight = "600";
  title.textContent = key.type ? `${path} (${key.type})` : path;
  dom.append(title);
  if (key.description) {
    const text = document.createElement("div");
    text.textContent = key.description;
    dom.append(text);
  }
  if (key.values.length > 0) {
    const values = document.createElement("div");
    values.textContent = `one of: ${key.values.join(", ")}`;
    dom.append(values);
  }
  return dom;
}

export function schemaAssist(): Extension {
  return [EditorState.languageData.of(() => [{ autocomplete: completeFromSchema }]), describeKey];
}
