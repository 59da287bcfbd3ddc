import type { ConfigSummary } from "@/lib/configs/types";

function ConfigListItem({ config, selected, onOpen }: { config: ConfigSummary; selected: boolean; onOpen: (name: string) => void }) {
  return (
    <li>
      <button
        type="button"
        data-testid="config-list-item"
        data-name={config.name}
        aria-current={selected ? "true" : undefined}
        onClick={() => onOpen(config.name)}
        className={`w-full rounded-md px-2 py-1.5 text-left text-sm ${selected ? "bg-slate-900 text-white" : "hover:bg-slate-100"}`}
      >
        <span className="flex items-center justify-between gap-2">
          <span className="truncate font-mono">{config.name}</span>
          <span className="flex shrink-0 gap-1 text-xs">
            {config.version !== null ? <span>v{config.version}</span> : null}
            {config.valid ? null : (
              <span data-testid="invalid-badge" className="rounded bg-red-100 px-1 font-medium text-red-800">
                invalid ({config.issueCount})
              </span>
            )}
          </span>
        </span>
        {config.description ? (
          <span className={`block truncate text-xs ${selected ? "text-slate-300" : "text-slate-500"}`}>{config.description}</span>
        ) : null}
      </button>
    </li>
  );
}

export function ConfigList({
  configs,
  selectedName,
  onOpen,
}: {
  configs: ConfigSummary[];
  selectedName: string | null;
  onOpen: (name: string) => void;
}) {
  const saved = configs.filter((config) => config.source === "saved");
  const examples = configs.filter((config) => config.source === "example");
  return (
    <nav aria-label="Configs" data-testid="config-list" className="space-y-4">
      <section>
        <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Saved</h2>
        {saved.length === 0 ? (
          <p className="text-sm text-slate-600">None yet: start from an example.</p>
        ) : (
          <ul className="space-y-0.5">
            {saved.map((config) => (
              <ConfigListItem key={config.name} config={config} selected={config.name === selectedName} onOpen={onOpen} />
            ))}
          </ul>
        )}
      </section>
      <section>
        <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Examples (read-only)</h2>
        {examples.length === 0 ? (
          <p className="text-sm text-slate-600">No example files.</p>
        ) : (
          <ul className="space-y-0.5">
            {examples.map((config) => (
              <ConfigListItem key={config.name} config={config} selected={config.name === selectedName} onOpen={onOpen} />
            ))}
          </ul>
        )}
      </section>
    </nav>
  );
}
