import { Suspense } from "react";
import { ReviewQueue } from "@/components/review/review-queue";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Review" };

export default function ReviewPage() {
  return (
    <>
      <PageHeader
        title="Review queue"
        description="Approve or quarantine sessions before they become training data, one key per decision. Exports of configs with runtime_safety.review include approved sessions by default."
      />
      <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>
        <ReviewQueue />
      </Suspense>
    </>
  );
}
