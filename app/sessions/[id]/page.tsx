import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SessionPage } from "@/components/session/session-page";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Session ${(await params).id}` };
}

/** The shell is static; the snapshot and the live stream load in the browser (they change every second). */
export default async function SessionRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[1-9]\d{0,14}$/.test(id)) notFound();
  return <SessionPage sessionId={Number(id)} />;
}
