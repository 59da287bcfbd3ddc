import { Suspense } from "react";
import { JudgesPage } from "@/components/review/judges-page";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Judges" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Judges"
        description="How a config's judge panel agrees with human labels: rank correlation, error, kappa on accept/reject at the retry threshold, and the disagreements to open."
      />
      <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>
        <JudgesPage />
      </Suspense>
    </>
  );
}
