import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ExperimentProgress } from "@/components/experiments/experiment-progress";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Experiment ${(await params).id}` };
}

export default async function ExperimentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[1-9]\d{0,9}$/.test(id)) notFound();
  return <ExperimentProgress experimentId={Number(id)} />;
}
