/** Writes streamed text to a file with backpressure, atomically: the target appears only once complete. */
import "server-only";
import { createWriteStream, mkdirSync, renameSync, rmSync } from "node:fs";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";

/** `~` expanded and made absolute against `cwd` (upstream: `Path(output).expanduser().resolve()`). */
export function resolveOutputPath(output: string, cwd: string, home = os.homedir()): string {
  const expanded = output === "~" ? home : output.startsWith("~/") ? path.join(home, output.slice(2)) : output;
  return path.resolve(cwd, expanded);
}

/**
 * Streams `chunks` into `target` through a temporary sibling, renamed over the target once all are written.
 * A failure removes the temporary file and leaves any previous file untouched.
 */
export async function writeLinesAtomically(target: string, chunks: AsyncIterable<string>): Promise<void> {
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.partial-${process.pid}`;
  // A 1 MiB buffer lets several chunks through before waiting for the disk.
  const stream = createWriteStream(temporary, { encoding: "utf8", highWaterMark: 1 << 20 });
  const failed = once(stream, "error").then(([error]) => Promise.reject(error as Error));
  failed.catch(() => undefined);
  try {
    for await (const chunk of chunks) {
      if (!stream.write(chunk)) await Promise.race([once(stream, "drain"), failed]);
    }
    stream.end();
    await Promise.race([once(stream, "finish"), failed]);
    renameSync(temporary, target);
  } catch (error) {
    stream.destroy();
    rmSync(temporary, { force: true });
    throw error;
  }
}
