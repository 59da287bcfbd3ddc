import type { Issue } from "@/lib/errors";

/** The problems the editor found, each a button that puts the cursor on it. */
export function IssuesList({ issues, onSelect }: { issues: Issue[]; onSelect: (issue: Issue) => void }) {
  if (issues.length === 0) {
    return (
      <p data-testid="config-issues" data-count="0" className="text-sm text-emerald-700">
        No problems: the config is valid.
      </p>
    );
  }
  return (
    <div data-testid="config-issues" data-count={issues.length}>
      <h3 className="text-sm font-semibold text-red-800">
        {issues.length} {issues.length === 1 ? "problem" : "problems"}
      </h3>
      <ul className="mt-1 space-y-1">
        {issues.map((issue, index) => (
          <li key={index}>
            <button
              type="button"
              data-testid="config-issue"
              onClick={() => onSelect(issue)}
              className="w-full rounded px-2 py-1 text-left font-mono text-xs text-red-800 hover:bg-red-50 focus:bg-red-50 focus:outline-2 focus:outline-red-700"
            >
              {issue.line !== undefined ? `${issue.line}:${issue.column ?? 1} ` : ""}
              {issue.path ? <span className="font-semibold">{issue.path}: </span> : null}
              {issue.message}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
