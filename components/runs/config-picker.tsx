"use client";

import { Badge } from "@/components/ui/badge";
import type { LaunchConfigSummary } from "@/lib/session-view/queries";

export const DEMO_CONFIG_NAME = "examples/demo_offline";

/** Saved configs and examples as radio cards; invalid ones cannot be picked. */
export function ConfigPicker({
  configs,
  selected,
  onSelect,
}: {
  configs: LaunchConfigSummary[];
  selected: string | null;
  onSelect: (name: string) => void;
}) {
  const ordered = [...configs].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  return (
    <fieldset data-testid="config-picker" className="space-y-2">
      <legend className="mb-2 text-sm font-medium text-slate-700">Config</legend>
      {ordered.map((config) => {
        const checked = config.name === selected;
        return (
          <label
            key={config.name}
            data-testid={`config-option-${config.name}`}
            className={`flex cursor-pointer items-start gap-3 rounded-md border p-3 text-sm ${
              !config.valid ? "cursor-not-allowed border-slate-200 bg-slate-50 opacity-70" : checked ? "border-slate-900 bg-slate-50" : "border-slate-200 bg-white hover:border-slate-400"
            }`}
          >
            <input
              type="radio"
              name="config"
              value={config.name}
              checked={checked}
              disabled={!config.valid}
              onChange={() => onSelect(config.name)}
              className="mt-1"
            />
            <span className="min-w-0 flex-1">
              <span className="flex flex-wrap items-center gap-2">
                <span className="font-medium text-slate-900">{config.name}</span>
                <Badge tone={config.source === "example" ? "violet" : "info"}>{config.source}</Badge>
                {config.version ? <Badge>v{config.version}</Badge> : null}
                {!config.valid ? (
                  <Badge tone="bad" testId="config-invalid" title="Fix it on the Configs page before launching">
                    invalid{config.issueCount ? ` · ${config.issueCount} issue${config.issueCount === 1 ? "" : "s"}` : ""}
                  </Badge>
                ) : null}
                {config.name === DEMO_CONFIG_NAME ? <Badge tone="good">offline demo · no API key</Badge> : null}
              </span>
              {config.name === DEMO_CONFIG_NAME ? (
                <span className="mt-1 block text-xs text-slate-600">
                  The offline scripted demo: a built-in scripted model plays teacher, judges and arbiter, so a run works without any key
                  or network. Its answers are canned, not real analysis.
                </span>
              ) : config.description ? (
                <span className="mt-1 block text-xs text-slate-600">{config.description}</span>
              ) : null}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}

function rank(config: LaunchConfigSummary): number {
  if (config.name === DEMO_CONFIG_NAME) return 0;
  if (!config.valid) return 3;
  return config.source === "saved" ? 1 : 2;
}

/** The config to show selected: the user's choice, else the offline demo, else the first valid one. */
export function defaultConfigName(configs: LaunchConfigSummary[], requested: string | null): string | null {
  const valid = configs.filter((config) => config.valid);
  if (requested && valid.some((config) => config.name === requested)) return requested;
  if (valid.some((config) => config.name === DEMO_CONFIG_NAME)) return DEMO_CONFIG_NAME;
  return valid[0]?.name ?? null;
}
