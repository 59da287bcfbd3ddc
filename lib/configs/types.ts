/**
 * The shapes the configs API returns and accepts, shared by the service, the routes and the browser.
 * Browser-safe: no Node imports. Dates are ISO strings so the same types hold before and after JSON.
 */
import { z } from "zod";
import type { Issue } from "@/lib/errors";

/** `saved`: edited in Atlas; `example`: a read-only file under configs/examples; `inline`: YAML pinned by runs. */
export type ConfigSource = "saved" | "example" | "inline";

export interface ConfigSummary {
  name: string;
  source: Exclude<ConfigSource, "inline">;
  description: string;
  /** Latest saved version; for an example, the pinned version of its current content if a run used it, else null. */
  version: number | null;
  hash: string;
  updatedAt: string | null;
  valid: boolean;
  issueCount: number;
}

export interface ConfigVersionInfo {
  id: number;
  version: number;
  hash: string;
  createdAt: string;
}

export interface ConfigDetail {
  name: string;
  source: ConfigSource;
  description: string;
  readOnly: boolean;
  yaml: string;
  /** The version `yaml` is; null for an example whose current content no run has pinned yet. */
  version: number | null;
  hash: string;
  /** Newest first. */
  versions: ConfigVersionInfo[];
}

export interface ConfigVersionDetail extends ConfigVersionInfo {
  name: string;
  yaml: string;
}

export interface SaveConfigResult {
  name: string;
  version: number;
  hash: string;
  /** False when the text equals the latest version: nothing new was written. */
  created: boolean;
}

export type ConfigValidation = { ok: true } | { ok: false; issues: Issue[] };

/** Large enough for any real config, small enough that a pasted log file is refused with a reason. */
export const MAX_CONFIG_CHARS = 512 * 1024;

const yamlText = z.string().max(MAX_CONFIG_CHARS, `config text must be at most ${MAX_CONFIG_CHARS} characters`);

/** `{name}` (optionally an exact version, e.g. to re-launch a session) or inline `{yaml}`. */
export const ConfigRefSchema = z.union([
  z.strictObject({ name: z.string().min(1), version: z.number().int().positive().optional() }),
  z.strictObject({ yaml: yamlText }),
]);
export type ConfigRef = z.infer<typeof ConfigRefSchema>;

export const SaveConfigRequestSchema = z.strictObject({
  yaml: yamlText,
  description: z.string().max(500).optional(),
  /** The version the edit started from; 0 means "this config must not exist yet". */
  expectedVersion: z.number().int().nonnegative().optional(),
});
export type SaveConfigRequest = z.infer<typeof SaveConfigRequestSchema>;

export const ValidateConfigRequestSchema = z.strictObject({ yaml: yamlText });
