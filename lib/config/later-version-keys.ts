/**
 * Keys that later Atlas SDK versions (up to v0.1.15) accept but Atlas does not implement yet.
 * They get a dedicated message so users of newer configs know why a key is refused.
 * Browser-safe: no Node imports.
 */
import { closestKey } from "./schema-walk";

/** Later-version keys by the dotted path of the mapping that contains them ("" is the root). */
const LATER_VERSION_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  "": new Set(["learning", "adaptive_teaching", "metadata_digest", "reward", "mcp"]),
  agent: new Set(["metadata_digest"]),
  orchestration: new Set(["forced_mode"]),
  storage: new Set(["apply_schema_on_connect"]),
};

export function isLaterVersionKey(parentPath: string, key: string): boolean {
  return LATER_VERSION_KEYS[parentPath]?.has(key) ?? false;
}

/** The message for a key the schema does not know, telling later-version keys apart from typos. */
export function unknownKeyMessage(parentPath: string, key: string, knownKeys: readonly string[] = []): string {
  if (!isLaterVersionKey(parentPath, key)) {
    const meant = closestKey(key, knownKeys);
    return meant === null ? `unknown key "${key}"` : `unknown key "${key}" (did you mean "${meant}"?)`;
  }
  return parentPath === ""
    ? `section "${key}" is from a later Atlas SDK version and is not supported yet`
    : `key "${parentPath}.${key}" is from a later Atlas SDK version and is not supported yet`;
}
