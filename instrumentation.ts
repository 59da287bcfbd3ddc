/** Next.js calls register() once when the server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerProcess } = await import("@/lib/server/start");
  await startServerProcess();
}
