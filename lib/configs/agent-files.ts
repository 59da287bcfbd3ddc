/**
 * Checks that the files a config's agent names exist, so a config that would fail at run time with
 * "agent module not found" is reported invalid when it is validated, saved to the list or launched.
 * Relative paths resolve against `baseDir`: the configs directory for saved and inline configs.
 */
import { statSync } from "node:fs";
import path from "node:path";
import type { AtlasConfig } from "@/lib/config";
import type { PathSegment } from "@/lib/config/validate";

export interface AgentFileProblem {
  segments: PathSegment[];
  message: string;
}

export function agentFileProblems(config: Pick<AtlasConfig, "agent">, baseDir: string): AgentFileProblem[] {
  const { agent } = config;
  if (agent.type === "module") {
    const file = path.resolve(baseDir, agent.module);
    if (!isFile(file)) return [{ segments: ["agent", "module"], message: `no file at ${file}${relativeNote(agent.module, baseDir)}` }];
  }
  if (agent.type === "python" && agent.working_directory !== null) {
    const directory = path.resolve(baseDir, agent.working_directory);
    if (!isDirectory(directory)) {
      return [{ segments: ["agent", "working_directory"], message: `no directory at ${directory}${relativeNote(agent.working_directory, baseDir)}` }];
    }
  }
  return [];
}

function relativeNote(written: string, baseDir: string): string {
  return path.isAbsolute(written) ? "" : ` (relative paths resolve against ${baseDir})`;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(directory: string): boolean {
  try {
    return statSync(directory).isDirectory();
  } catch {
    return false;
  }
}
