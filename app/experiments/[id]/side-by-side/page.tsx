import { notFound } from "next/navigation";
import { SideBySide } from "@/components/experiments/side-by-side";

export const metadata = { title: "Side by side" };

const ID = /^[1-9]\d{0,9}$/;

export default async function SideBySidePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ base?: string; candidate?: string }>;
}) {
  const { id } = await params;
  const { base, candidate } = await searchParams;
  if (!ID.test(id) || !base || !candidate || !ID.test(base) || !ID.test(candidate)) notFound();
  return <SideBySide experimentId={Number(id)} base={Number(base)} candidate={Number(candidate)} />;
}
