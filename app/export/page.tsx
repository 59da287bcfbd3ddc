import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Export" };

export default function ExportPage() {
  return <PageHeader title="Export" description="Training-ready JSONL of recorded sessions." />;
}
