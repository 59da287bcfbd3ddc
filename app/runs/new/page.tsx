import { Suspense } from "react";
import { LaunchForm } from "@/components/runs/launch-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Launch a run" };

export default function NewRunPage() {
  return (
    <>
      <PageHeader title="Launch a run" description="Pick a config, describe the task, and watch it live." />
      {/* The form reads ?session= (re-launch links), ?config= and ?task=: useSearchParams needs a Suspense boundary. */}
      <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>
        <LaunchForm />
      </Suspense>
    </>
  );
}
