import { PageHeader } from "@/components/ui/page-header";

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <PageHeader title={`Session ${id}`} />;
}
