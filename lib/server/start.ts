import { installSignalHandlers } from "./shutdown";

/** Everything the dashboard process does once at start-up. */
export async function startServerProcess(): Promise<void> {
  installSignalHandlers();
}
