/** How the run manager words and retries the end of a run the engine could not record itself. */
import { errorMessage } from "@/lib/errors";

/** Waits between attempts to record a run's end while the database is unreachable (about half a minute in all). */
export const TERMINAL_WRITE_RETRIES_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 16_000];

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
