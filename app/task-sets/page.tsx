import { TaskSetsWorkspace } from "@/components/task-sets/task-sets-workspace";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Task sets" };

export default function TaskSetsPage() {
  return (
    <>
      <PageHeader title="Task sets" description="Named, immutable lists of tasks to run experiments over." />
      <TaskSetsWorkspace />
    </>
  );
}
