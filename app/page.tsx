import { OverviewDashboard } from "@/components/overview/overview-dashboard";
import { PageHeader } from "@/components/ui/page-header";

export default function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" description="Recent sessions, runs in progress, reward and cost over time." />
      <OverviewDashboard />
    </>
  );
}
