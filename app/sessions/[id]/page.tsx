import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { preload } from "react-dom";
import { SessionPage } from "@/components/session/session-page";
import { sessionPageSnapshotPath } from "@/lib/sessions/api-types";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Session ${(await params).id}` };
}

/**
 * The shell is server-rendered; the snapshot and the live stream load in the browser (they change
 * every second). The snapshot request starts from the HTML head, while the scripts still load.
 */
export default async function SessionRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[1-9]\d{0,14}$/.test(id)) notFound();
  preload(sessionPageSnapshotPath(Number(id)), { as: "fetch", crossOrigin: "anonymous" });
  return <SessionPage sessionId={Number(id)} />;
}
