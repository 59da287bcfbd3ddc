import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { AtlasError } from "@/lib/errors";
import { childEnv } from "@/lib/server/child-env";
import { parseEnv } from "@/lib/server/env";
import type { Command, CommandIO } from "../io";

const SOURCE_ENTRIES = ["app", "components", "lib", "public", "next.config.js", "package.json", "tsconfig.json"];
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

/** `npm start`: build when the sources are newer than the last build, then `next start`. */
export const serveCommand: Command = async (_args, io) => {
  // Every variable is checked here, before a build, so a wrong value stops `atlas serve` at once.
  const env = parseEnv(io.env);
  const host = env.HOST;
  const port = String(env.PORT);
  if (!LOOPBACK_HOSTS.has(host) && !env.ATLAS_TOKEN) {
    throw new AtlasError(
      "invalid_input",
      `refusing to serve on ${host} without ATLAS_TOKEN: set ATLAS_TOKEN to require a token, or keep HOST=127.0.0.1`,
    );
  }
  const nextBin = path.join(io.cwd, "node_modules", "next", "dist", "bin", "next");
  if (needsBuild(io.cwd)) {
    io.stderr("Building the dashboard (first start or sources changed)…\n");
    const code = await runNode([nextBin, "build"], io, {});
    if (code !== 0) return code;
  }
  io.stderr(`Atlas dashboard on http://${host.includes(":") ? `[${host}]` : host}:${port}\n`);
  // Next must not exit on its own at SIGTERM: our shutdown hooks close the embedded database first.
  // HOST/PORT go along so the dashboard can name its own address (in the embedded database's lock).
  return runNode([nextBin, "start", "-H", host, "-p", port], io, { NEXT_MANUAL_SIG_HANDLE: "true", HOST: host, PORT: port });
};

export function needsBuild(root: string): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return SOURCE_ENTRIES.some((entry) => newestMtime(path.join(root, entry)) > builtAt);
}

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

function runNode(args: string[], io: CommandIO, extraEnv: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: io.cwd,
      stdio: "inherit",
      env: childEnv(io.env, { NEXT_TELEMETRY_DISABLED: "1", ...extraEnv }),
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal === "SIGINT" ? 130 : 0));
    });
  });
}
