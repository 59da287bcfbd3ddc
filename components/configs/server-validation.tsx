import type { ConfigValidation } from "@/lib/configs/types";
import { ErrorNotice } from "@/components/ui/error-notice";

/** The server's dry-run verdict, marked when the text has changed since. */
export function ServerValidation({ result, stale }: { result: ConfigValidation; stale: boolean }) {
  const note = stale ? " (for the text as it was when you asked; it has changed since)" : "";
  return (
    <div data-testid="server-validation" data-ok={result.ok ? "true" : "false"}>
      {result.ok ? (
        <p className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-800">
          The server accepts this config{note}.
        </p>
      ) : (
        <ErrorNotice title={`The server rejects this config${note}`} error={{ message: "Nothing was saved.", issues: result.issues }} />
      )}
    </div>
  );
}
