import { Suspense } from "react";
import { ConfigsWorkspace } from "@/components/configs/configs-workspace";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Configs" };

export default function ConfigsPage() {
  return (
    <>
      <PageHeader
        title="Configs"
        description="Saved agent configs with immutable versions, and the read-only examples. Every run is pinned to the exact version it used."
      />
      {/* The workspace reads ?name= from the URL. */}
      <Suspense fallback={<p className="text-sm text-slate-600">Loading…</p>}>
        <ConfigsWorkspace />
      </Suspense>
    </>
  );
}
