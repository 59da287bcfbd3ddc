import type { CommandIO } from "./io";

/** A CommandIO that records what a command prints, for tests that call commands in-process. */
export function captureIO(options: { env?: CommandIO["env"]; cwd?: string; isTTY?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}
