import type { AtlasError, Issue } from "@/lib/errors";

/** Shows an error the way the server described it, with every located issue. */
export function ErrorNotice({ error, title }: { error: Pick<AtlasError, "message"> & { issues?: Issue[] }; title?: string }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      {title ? <p className="font-semibold">{title}</p> : null}
      <p>{error.message}</p>
      {error.issues && error.issues.length > 0 ? (
        <ul className="mt-2 list-disc space-y-1 pl-5 font-mono text-xs">
          {error.issues.map((issue, index) => (
            <li key={index}>
              {issue.line ? `${issue.line}:${issue.column ?? 1} ` : ""}
              {issue.path ? `${issue.path}: ` : ""}
              {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
