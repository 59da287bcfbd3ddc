import { Suspense } from "react";
import { ExportWorkspace } from "@/components/export/export-workspace";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Export" };

export default function ExportPage() {
  return (
    <>
      <PageHeader
        title="Export"
        description="Training-ready JSONL of recorded sessions, in the upstream Atlas format. Same filters as `atlas export`."
      />
      {/* useSearchParams needs a Suspense boundary for the static shell. */}
      <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>
        <ExportWorkspace />
      </Suspense>
    </>
  );
}
