import type { SessionStatus } from "@/lib/trajectory";

const STYLES: Record<string, string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-blue-100 text-blue-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  cancelled: "bg-amber-100 text-amber-800",
  interrupted: "bg-orange-100 text-orange-800",
  // Step and attempt states.
  pending: "bg-white text-slate-500 ring-1 ring-slate-200 ring-inset",
  skipped: "bg-slate-100 text-slate-500",
  accepted: "bg-emerald-100 text-emerald-800",
  retry: "bg-amber-100 text-amber-800",
} satisfies Record<SessionStatus, string> & Record<string, string>;

export function StatusBadge({ status, testId = "status-badge" }: { status: string; testId?: string }) {
  const style = STYLES[status] ?? "bg-slate-100 text-slate-700";
  return (
    <span data-testid={testId} data-status={status} className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${style}`}>
      {status}
    </span>
  );
}
