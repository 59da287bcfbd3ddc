import { Suspense } from "react";
import { SessionsList } from "@/components/sessions/sessions-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Sessions" };

export default function SessionsPage() {
  return (
    <>
      <PageHeader title="Sessions" description="Every recorded run, newest first. Filters live in the URL, so a filtered view can be shared." />
      {/* useSearchParams needs a Suspense boundary for the static shell. */}
      <Suspense fallback={<p className="text-sm text-slate-500">Loading sessions…</p>}>
        <SessionsList />
      </Suspense>
    </>
  );
}
