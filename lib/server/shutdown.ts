/**
 * One place that decides how the server process stops: hooks run in ascending `order` (the run
 * manager marks live sessions before the database closes), then the process exits.
 * Kept on globalThis because Next bundles instrumentation and routes as separate module graphs.
 */
import "server-only";
import { readEnv } from "./env";

type Hook = { order: number; run: () => Promise<void> };

interface ShutdownState {
  hooks: Set<Hook>;
  installed: boolean;
  stopping: boolean;
}

const holder = globalThis as unknown as { __atlasShutdown?: ShutdownState };

function state(): ShutdownState {
  return (holder.__atlasShutdown ??= { hooks: new Set(), installed: false, stopping: false });
}

export function onShutdown(order: number, run: () => Promise<void>): () => void {
  const hook = { order, run };
  state().hooks.add(hook);
  installSignalHandlers();
  return () => state().hooks.delete(hook);
}

export function installSignalHandlers(): void {
  const current = state();
  if (current.installed || readEnv("ATLAS_NO_SIGNAL_HANDLERS")) return;
  current.installed = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void shutdown(signal === "SIGINT" ? 130 : 0));
  }
}

export async function shutdown(exitCode: number): Promise<void> {
  const current = state();
  if (current.stopping) return;
  current.stopping = true;
  const hooks = [...current.hooks].sort((a, b) => a.order - b.order);
  for (const hook of hooks) {
    await hook.run().catch((error: unknown) => console.error("shutdown hook failed:", error));
  }
  process.exit(exitCode);
}
