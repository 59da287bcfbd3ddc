import { notFound } from "next/navigation";
import { CompareView } from "@/components/experiments/compare-view";

export const metadata = { title: "Compare arms" };

const ID = /^[1-9]\d{0,9}$/;

export default async function ComparePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ base?: string; candidate?: string }>;
}) {
  const { id } = await params;
  const { base, candidate } = await searchParams;
  if (!ID.test(id) || !base || !candidate || !ID.test(base) || !ID.test(candidate)) notFound();
  return <CompareView experimentId={Number(id)} base={Number(base)} candidate={Number(candidate)} />;
}
