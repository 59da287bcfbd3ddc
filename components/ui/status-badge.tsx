import type { SessionStatus } from "@/lib/runtime/types";

const STYLES: Record<SessionStatus, string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-blue-100 text-blue-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  cancelled: "bg-amber-100 text-amber-800",
  interrupted: "bg-orange-100 text-orange-800",
};

export function StatusBadge({ status }: { status: string }) {
  const style = STYLES[status as SessionStatus] ?? "bg-slate-100 text-slate-700";
  return (
    <span data-testid="status-badge" className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${style}`}>
      {status}
    </span>
  );
}
