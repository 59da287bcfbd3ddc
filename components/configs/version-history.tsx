import type { ConfigVersionInfo } from "@/lib/configs/types";
import { formatTimestamp } from "@/components/ui/format";

/** Versions newest first; choosing one makes it the base of the diff. */
export function VersionHistory({
  versions,
  comparedVersion,
  onCompare,
}: {
  versions: ConfigVersionInfo[];
  comparedVersion: number | null;
  onCompare: (version: number) => void;
}) {
  if (versions.length === 0) return <p className="text-sm text-slate-600">No saved versions yet.</p>;
  return (
    <ol data-testid="config-versions" className="space-y-1">
      {versions.map((version, index) => {
        const compared = version.version === comparedVersion;
        return (
          <li key={version.id} data-testid="config-version-row" className="flex items-center justify-between gap-2 text-sm">
            <span>
              <span className="font-semibold">v{version.version}</span>
              {index === 0 ? <span className="ml-1 rounded bg-slate-100 px-1 text-xs text-slate-700">latest</span> : null}
              <span className="ml-2 font-mono text-xs text-slate-500" title={version.hash}>
                {version.hash.slice(0, 8)}
              </span>
              <span className="ml-2 text-xs text-slate-500">{formatTimestamp(version.createdAt)}</span>
            </span>
            <button
              type="button"
              aria-pressed={compared}
              onClick={() => onCompare(version.version)}
              className={`rounded px-2 py-0.5 text-xs font-medium ${
                compared ? "bg-slate-900 text-white" : "border border-slate-300 text-slate-700 hover:bg-slate-50"
              }`}
            >
              {compared ? `Comparing with v${version.version}` : `Compare with v${version.version}`}
            </button>
          </li>
        );
      })}
    </ol>
  );
}
