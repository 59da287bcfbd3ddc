import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Sessions" };

export default function SessionsPage() {
  return <PageHeader title="Sessions" description="Every recorded run, newest first." />;
}
