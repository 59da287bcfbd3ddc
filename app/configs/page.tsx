import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Configs" };

export default function ConfigsPage() {
  return <PageHeader title="Configs" description="Saved agent configs and their versions." />;
}
