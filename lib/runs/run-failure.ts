/** How the run manager words and retries the end of a run the engine could not record itself. */
import { errorMessage } from "@/lib/errors";

/** Waits between attempts to record a run's end while the database is unreachable (about half a minute in all). */
const TERMINAL_WRITE_RETRIES_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 16_000];

/** Runs `write` until it succeeds, the retries are used up (then its last error is thrown) or `stopped()`. */
export async function retryWhileFailing(write: () => Promise<void>, stopped: () => boolean): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= TERMINAL_WRITE_RETRIES_MS.length || stopped()) throw error;
      await new Promise((resolve) => setTimeout(resolve, TERMINAL_WRITE_RETRIES_MS[attempt]));
    }
  }
}

/** Writes the engine could not make are the database's failure, and the message says so. */
export function describeEngineError(error: unknown): string {
  const message = errorMessage(error);
  const isDatabase = (error instanceof Error && error.name === "DrizzleQueryError") || DATABASE_FAILURE.test(message);
  if (!isDatabase) return message;
  const cause = error instanceof Error && error.cause !== undefined ? ` (${errorMessage(error.cause)})` : "";
  return `the database failed during the run: ${firstLine(message)}${cause}`;
}

const DATABASE_FAILURE = /^(could not store events? |Failed query)/;

/** A failed query's message goes on with the statement and its parameters: keep its first 300 characters. */
function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
