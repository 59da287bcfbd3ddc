/**
 * The config of a run started from a file (`atlas run --config FILE`): its text is pinned as a version,
 * exactly as the dashboard pins what it runs, so the session links to a config that exists.
 */
import "server-only";
import path from "node:path";
import type { AtlasDb } from "@/lib/db/types";
import { examplesDir } from "./examples";
import { contentHash } from "./hash";
import { configNameSaveProblem, exampleName, isExampleStem } from "./names";
import { pinVersion } from "./service";

export interface PinnedConfig {
  name: string;
  versionId: number;
  version: number;
  hash: string;
}

const FALLBACK_NAME = "cli";

export async function pinConfigFile(db: AtlasDb, filePath: string, yaml: string): Promise<PinnedConfig> {
  const name = configNameForFile(filePath);
  const row = await pinVersion(db, name, yaml, `pinned contents of ${path.basename(filePath)} run from the command line`);
  return { name: row.configName, versionId: row.id, version: row.version, hash: contentHash(yaml) };
}

/**
 * A file of the examples folder is that example (`examples/<stem>`); any other file is the saved config
 * named after its file name, made a valid name (lowercase; other characters become "-").
 */
export function configNameForFile(filePath: string, examples = examplesDir()): string {
  const resolved = path.resolve(filePath);
  const stem = path.basename(resolved).replace(/\.(ya?ml|json)$/i, "");
  if (path.dirname(resolved) === path.resolve(examples) && isExampleStem(stem)) return exampleName(stem);
  const cleaned = stem
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/\.{2,}/g, ".")
    .slice(0, 100);
  if (cleaned === "") return FALLBACK_NAME;
  return configNameSaveProblem(cleaned) === null ? cleaned : `${cleaned.slice(0, 95)}-file`;
}
