/** The load-time half of the code-location rule (the server also applies it when validating a config). */
import { pathProblem } from "@/lib/config/code-location";
import { AtlasError } from "@/lib/errors";
import type { AdapterContext } from "./types";

/** Throws when the context restricts code to some folders and `target` lies outside them. */
export function assertCodeLocation(target: string, context: AdapterContext, configPath: string): void {
  if (!context.codeRoots) return;
  const problem = pathProblem(target, { baseDir: context.baseDir, roots: context.codeRoots });
  if (problem) throw new AtlasError("invalid_config", `${configPath}: ${problem}`, { issues: [{ path: configPath, message: problem }] });
}
