import { ExperimentsList } from "@/components/experiments/experiments-list";
import { NewExperimentForm } from "@/components/experiments/new-experiment-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Experiments" };

export default function ExperimentsPage() {
  return (
    <>
      <PageHeader title="Experiments" description="Run configs over the same tasks and compare them with paired statistics." />
      <div className="space-y-6">
        <NewExperimentForm />
        <ExperimentsList />
      </div>
    </>
  );
}
