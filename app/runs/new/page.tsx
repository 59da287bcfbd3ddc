import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Launch a run" };

export default function NewRunPage() {
  return <PageHeader title="Launch a run" description="Pick a config, describe the task, and watch it live." />;
}
