import "server-only";
import { createHash } from "node:crypto";

/** sha256 of the exact YAML text: the identity a session is pinned to. */
export function contentHash(yaml: string): string {
  return createHash("sha256").update(yaml, "utf8").digest("hex");
}
