/**
 * Where agent code may be loaded from (Node only). A `module` agent's file and a `python` agent's
 * working directory and module must lie inside one of the allowed folders: `ATLAS_AGENT_PATHS`, by
 * default the project's `configs/` folder and the example configs folder (`ATLAS_CONFIGS_DIR`). The
 * server applies this when it validates a config; configs the CLI reads from a file may also load
 * code from their own folder.
 */
import { existsSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { securityEnv } from "@/lib/server/security-env";
import type { AgentConfig } from "./schema";
import type { ConfigValidationIssue } from "./validate";

export const AGENT_PATHS_RULE = "agents load code only from the folders in ATLAS_AGENT_PATHS";
const PYTHON_MODULE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The allowed folders, absolute, read at call time. */
export function agentCodeRoots(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): string[] {
  const configured = securityEnv(env).agentPaths;
  if (configured) return configured.map((folder) => path.resolve(cwd, folder));
  const roots = [path.resolve(cwd, "configs")];
  if (env.ATLAS_CONFIGS_DIR) roots.push(path.resolve(cwd, env.ATLAS_CONFIGS_DIR));
  return roots;
}

export interface CodeLocationContext {
  /** Relative paths in the config resolve from here. */
  baseDir: string;
  roots: readonly string[];
}

/** Problems with where the agent's code would come from; empty for agents that load no code. */
export function codeLocationIssues(agent: AgentConfig, context: CodeLocationContext): ConfigValidationIssue[] {
  const outside = outsideFolderIssues(agent, context);
  return outside.length > 0 ? outside : pythonModuleIssues(agent, context);
}

/** A module file or python working directory outside the allowed folders. */
export function outsideFolderIssues(agent: AgentConfig, context: CodeLocationContext): ConfigValidationIssue[] {
  if (agent.type === "module") {
    const problem = pathProblem(agent.module, context);
    return problem ? [{ segments: ["agent", "module"], message: problem, target: "value" }] : [];
  }
  if (agent.type !== "python") return [];
  const directoryProblem = pathProblem(agent.working_directory ?? ".", context);
  if (!directoryProblem) return [];
  const segments = agent.working_directory === null ? ["agent", "import_path"] : ["agent", "working_directory"];
  return [{ segments, message: `working directory: ${directoryProblem}`, target: "value" }];
}

/** A python import path that is not a file or package of the (allowed) working directory. */
export function pythonModuleIssues(agent: AgentConfig, context: CodeLocationContext): ConfigValidationIssue[] {
  if (agent.type !== "python") return [];
  const directory = path.resolve(context.baseDir, agent.working_directory ?? ".");
  const problem = pythonModuleProblem(agent.import_path, directory);
  return problem ? [{ segments: ["agent", "import_path"], message: problem, target: "value" }] : [];
}

/** Why code at `target` may not be loaded, or null. Symbolic links are followed before comparing. */
export function pathProblem(target: string, context: CodeLocationContext): string | null {
  if (target.split(/[\\/]/).includes("..")) return `${JSON.stringify(target)} must not contain "..": ${AGENT_PATHS_RULE}`;
  const resolved = realPath(path.resolve(context.baseDir, target));
  if (context.roots.some((root) => isInside(resolved, realPath(root)))) return null;
  return `${JSON.stringify(target)} (${resolved}) is outside the allowed folders (${context.roots.join(", ")}): ${AGENT_PATHS_RULE}`;
}

/** The top-level package must be a file or folder in the working directory, never an installed module like `os`. */
function pythonModuleProblem(importPath: string, directory: string): string | null {
  if (!PYTHON_MODULE_PATTERN.test(importPath)) return `${JSON.stringify(importPath)} is not a python module path (e.g. agents.my_agent)`;
  const top = importPath.split(".")[0]!;
  const candidates = [path.join(directory, `${top}.py`), path.join(directory, top)];
  if (candidates.some((candidate) => existsSync(candidate) && (candidate.endsWith(".py") || statSync(candidate).isDirectory()))) return null;
  return `python module ${JSON.stringify(top)} is not a file or package in the working directory ${directory}: ${AGENT_PATHS_RULE}`;
}

function isInside(target: string, root: string): boolean {
  const relative = path.relative(root, target);
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** The real path of the longest existing prefix, with the rest appended (a file may not exist yet). */
function realPath(target: string): string {
  let existing = target;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) return target;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(realpathSync(existing), ...rest);
}
