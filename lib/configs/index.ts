/**
 * Server-side configs API (Node only: reads files, hashes, queries the database).
 * Browser code imports `./types`, `./names` and `./line-diff` directly.
 */
import "server-only";

export {
  configsBaseDir,
  getConfig,
  getConfigVersion,
  getConfigVersionById,
  listConfigs,
  parseOnServer,
  resolveConfigForRun,
  saveConfig,
  validateConfigText,
  type ResolvedConfig,
} from "./service";
export { examplesDir } from "./examples";
export { contentHash } from "./hash";
export * from "./names";
export * from "./types";
