/**
 * Reads and parses a configuration file from disk (Node only; everything else in lib/config is browser-safe).
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { errorMessage } from "@/lib/errors";
import { parseConfigText, type ConfigParseResult } from "./parse";

/** `text`: the file as read (null when it could not be read), so a caller can pin exactly what was parsed. */
export type LoadedConfig = ConfigParseResult & { path: string; text: string | null };

/** Expands a leading `~` and resolves against the working directory. */
export function resolveConfigPath(path: string): string {
  const expanded = path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
  return resolve(expanded);
}

export async function loadConfigFile(path: string): Promise<LoadedConfig> {
  const absolutePath = resolveConfigPath(path);
  let text: string;
  try {
    text = await readFile(absolutePath, "utf8");
  } catch (error) {
    const message =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? `configuration file not found: ${absolutePath}`
        : `failed to read configuration: ${errorMessage(error)}`;
    return { ok: false, issues: [{ path: "", message }], path: absolutePath, text: null };
  }
  return { ...parseConfigText(text), path: absolutePath, text };
}
