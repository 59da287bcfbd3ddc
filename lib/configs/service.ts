/**
 * Saved configs (immutable versions in the database) and example configs (read-only files), and the one
 * function the run manager calls to turn a config reference into validated, version-pinned content.
 */
import "server-only";
import type { AtlasConfig, ConfigParseResult } from "@/lib/config";
import { parseConfigText } from "@/lib/config";
import { agentCodeRoots, outsideFolderIssues, pythonModuleIssues } from "@/lib/config/code-location";
import {
  findConfigVersionByHash,
  getConfigRow,
  getConfigVersionRow,
  getConfigVersionRowById,
  getLatestConfigVersionRow,
  insertNextConfigVersion,
  listConfigsWithLatestVersion,
  listConfigVersions,
  lockConfigRow,
  updateConfigDescription,
  type ConfigVersionMeta,
  type ConfigVersionRow,
} from "@/lib/db/queries/configs";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError, type Issue } from "@/lib/errors";
import { agentFileProblems } from "./agent-files";
import { exampleDescription, examplesDir, listExampleFiles, readExampleFile } from "./examples";
import { contentHash } from "./hash";
import { configNameProblem, configNameSaveProblem, EXAMPLE_PREFIX, exampleStem, INLINE_CONFIG_NAME, isExampleName } from "./names";
import {
  MAX_CONFIG_CHARS,
  type ConfigDetail,
  type ConfigRef,
  type ConfigSummary,
  type ConfigValidation,
  type ConfigVersionDetail,
  type ConfigVersionInfo,
  type SaveConfigResult,
} from "./types";

export interface ResolvedConfig {
  name: string;
  yaml: string;
  config: AtlasConfig;
  /** config_versions.id: what the session row points at. */
  versionId: number;
  version: number;
  hash: string;
  /** Where relative paths in the config (python/module agents) are resolved from. */
  baseDir: string;
}

/**
 * Relative `module:` and `working_directory` paths of saved, inline and example configs resolve against
 * the configs directory (ATLAS_CONFIGS_DIR, default configs/examples), where the examples and their
 * agents live: a saved copy of an example finds the same files.
 */
export function configsBaseDir(): string {
  return examplesDir();
}

/**
 * The schema; then the rule that agent code loads only from the allowed folders (ATLAS_AGENT_PATHS), so
 * nothing is said about files elsewhere; then whether the files the agent names exist; then whether a
 * python module is one of them.
 */
export function parseOnServer(yaml: string, baseDir = configsBaseDir()): ConfigParseResult {
  const context = { baseDir, roots: agentCodeRoots() };
  return parseConfigText(yaml, {
    check: ({ agent }) => {
      const outside = outsideFolderIssues(agent, context);
      if (outside.length > 0) return outside;
      const missing = agentFileProblems({ agent }, baseDir).map((problem) => ({ ...problem, target: "value" as const }));
      return missing.length > 0 ? missing : pythonModuleIssues(agent, context);
    },
  });
}

export function validateConfigText(yaml: string, baseDir = configsBaseDir()): ConfigValidation {
  const parsed = parseOnServer(yaml, baseDir);
  return parsed.ok ? { ok: true } : { ok: false, issues: parsed.issues };
}

/** Saved configs then examples, each by name; invalid ones are listed with `valid: false`. */
export async function listConfigs(db: AtlasDb): Promise<ConfigSummary[]> {
  const [savedRows, exampleFiles] = await Promise.all([
    listConfigsWithLatestVersion(db, { excludeNames: [INLINE_CONFIG_NAME], excludePrefix: EXAMPLE_PREFIX }),
    listExampleFiles(),
  ]);
  const saved = savedRows.map((row): ConfigSummary => {
    const validation = validateConfigText(row.yaml, configsBaseDir());
    return {
      name: row.name,
      source: "saved",
      description: row.description,
      version: row.version,
      hash: row.contentHash,
      updatedAt: row.updatedAt.toISOString(),
      valid: validation.ok,
      issueCount: validation.ok ? 0 : validation.issues.length,
    };
  });
  const examples = await Promise.all(
    exampleFiles.map(async (file): Promise<ConfigSummary> => {
      const validation = validateConfigText(file.yaml, examplesDir());
      const hash = contentHash(file.yaml);
      const pinned = await findConfigVersionByHash(db, file.name, hash);
      return {
        name: file.name,
        source: "example",
        description: exampleDescription(file.yaml),
        version: pinned?.version ?? null,
        hash,
        updatedAt: null,
        valid: validation.ok,
        issueCount: validation.ok ? 0 : validation.issues.length,
      };
    }),
  );
  return [...saved, ...examples];
}

/** A config with its history; `version` picks an older version's text. */
export async function getConfig(db: AtlasDb, name: string, options: { version?: number } = {}): Promise<ConfigDetail> {
  assertValidName(name);
  if (isExampleName(name)) return getExample(db, name, options.version);

  const row = await getConfigRow(db, name);
  if (!row) throw new AtlasError("not_found", `config ${name} not found`);
  const [versions, selected] = await Promise.all([
    listConfigVersions(db, name),
    options.version === undefined ? getLatestConfigVersionRow(db, name) : getConfigVersionRow(db, name, options.version),
  ]);
  if (!selected) throw missingVersion(name, options.version, versions);
  const source = name === INLINE_CONFIG_NAME ? "inline" : "saved";
  return {
    name,
    source,
    description: row.description,
    readOnly: source !== "saved",
    yaml: selected.yaml,
    version: selected.version,
    hash: selected.contentHash,
    versions: versions.map(versionInfo),
  };
}

async function getExample(db: AtlasDb, name: string, version: number | undefined): Promise<ConfigDetail> {
  const file = await readExampleOrThrow(name);
  const versions = await listConfigVersions(db, name);
  const base = { name, source: "example" as const, description: exampleDescription(file.yaml), readOnly: true };
  if (version !== undefined) {
    const row = await getConfigVersionRow(db, name, version);
    if (!row) throw missingVersion(name, version, versions);
    return { ...base, yaml: row.yaml, version: row.version, hash: row.contentHash, versions: versions.map(versionInfo) };
  }
  const hash = contentHash(file.yaml);
  const pinned = versions.find((candidate) => candidate.contentHash === hash);
  return { ...base, yaml: file.yaml, version: pinned?.version ?? null, hash, versions: versions.map(versionInfo) };
}

export async function getConfigVersion(db: AtlasDb, name: string, version: number): Promise<ConfigVersionDetail> {
  assertValidName(name);
  const row = await getConfigVersionRow(db, name, version);
  if (!row) throw missingVersion(name, version, await listConfigVersions(db, name));
  return versionDetail(row);
}

/** The exact content a session ran with (sessions.config_version_id). */
export async function getConfigVersionById(db: AtlasDb, id: number): Promise<ConfigVersionDetail> {
  const row = await getConfigVersionRowById(db, id);
  if (!row) throw new AtlasError("not_found", `config version ${id} not found`);
  return versionDetail(row);
}

/**
 * Saves `yaml` as the next version of `name` (creating the config), after validating it: an invalid text
 * saves nothing. The same text as the latest version writes nothing and returns that version.
 * `expectedVersion` is the version the edit started from (0: the config must not exist yet).
 */
export async function saveConfig(
  db: AtlasDb,
  name: string,
  yaml: string,
  options: { description?: string; expectedVersion?: number } = {},
): Promise<SaveConfigResult> {
  const nameProblem = configNameSaveProblem(name);
  if (nameProblem) throw new AtlasError(isExampleName(name) && !configNameProblem(name) ? "conflict" : "invalid_input", nameProblem);
  assertTextSize(name, yaml);
  const parsed = parseOnServer(yaml, configsBaseDir());
  if (!parsed.ok) throw new AtlasError("invalid_config", `config ${name} is invalid`, { issues: parsed.issues });
  const hash = contentHash(yaml);

  return db.transaction(async (tx) => {
    const { created, row } = await lockConfigRow(tx, name, options.description ?? "");
    const latest = created ? null : await getLatestConfigVersionRow(tx, name);
    assertExpectedVersion(name, options.expectedVersion, latest?.version ?? 0);
    if (!created && options.description !== undefined && options.description !== row.description) {
      await updateConfigDescription(tx, name, options.description);
    }
    if (latest?.contentHash === hash) return { name, version: latest.version, hash, created: false };
    const inserted = await insertNextConfigVersion(tx, { name, yaml, contentHash: hash });
    return { name, version: inserted.version, hash, created: true };
  });
}

function assertExpectedVersion(name: string, expected: number | undefined, latest: number): void {
  if (expected === undefined || expected === latest) return;
  if (expected === 0) {
    throw new AtlasError("conflict", `config ${name} already exists (version ${latest}); choose another name or open it`);
  }
  if (latest > expected) {
    throw new AtlasError("conflict", `config ${name} changed since you opened it: version ${latest} is newer`);
  }
  throw new AtlasError(
    "conflict",
    latest === 0 ? `config ${name} does not exist, so it has no version ${expected}` : `config ${name} has no version ${expected}: the latest is ${latest}`,
  );
}

/**
 * Turns what a run was asked to use into validated content pinned to an immutable version row:
 * - `{name}`: a saved config's latest version (or `{name, version}` for an exact one);
 * - `{name: "examples/<stem>"}`: the example file as it is now, recorded under that name (deduplicated by hash);
 * - `{yaml}`: inline text, recorded under the name "inline" the same way.
 */
export async function resolveConfigForRun(db: AtlasDb, ref: ConfigRef): Promise<ResolvedConfig> {
  if ("yaml" in ref) {
    assertTextSize(INLINE_CONFIG_NAME, ref.yaml);
    const config = parseOrThrow(INLINE_CONFIG_NAME, ref.yaml, configsBaseDir());
    const row = await pinVersion(db, INLINE_CONFIG_NAME, ref.yaml, "YAML passed inline to runs");
    return resolved(row, config, configsBaseDir());
  }

  const { name, version } = ref;
  assertValidName(name);
  if (isExampleName(name)) {
    if (version !== undefined) return resolved(...(await storedVersion(name, version, examplesDir())), examplesDir());
    const file = await readExampleOrThrow(name);
    const config = parseOrThrow(name, file.yaml, examplesDir());
    const row = await pinVersion(db, name, file.yaml, `pinned contents of the example file ${file.stem}.yaml`);
    return resolved(row, config, configsBaseDir());
  }
  if (name === INLINE_CONFIG_NAME && version === undefined) {
    throw new AtlasError("invalid_input", `"${INLINE_CONFIG_NAME}" names YAML pinned by earlier runs: pass {name, version} or {yaml}`);
  }
  if (version !== undefined) return resolved(...(await storedVersion(name, version, configsBaseDir())), configsBaseDir());

  const latest = await getLatestConfigVersionRow(db, name);
  if (!latest) throw new AtlasError("not_found", `config ${name} not found`);
  return resolved(latest, parseOrThrow(`${name} (version ${latest.version})`, latest.yaml, configsBaseDir()), configsBaseDir());

  async function storedVersion(configName: string, exact: number, baseDir: string): Promise<[ConfigVersionRow, AtlasConfig]> {
    const row = await getConfigVersionRow(db, configName, exact);
    if (!row) throw missingVersion(configName, exact, await listConfigVersions(db, configName));
    return [row, parseOrThrow(`${configName} (version ${exact})`, row.yaml, baseDir)];
  }
}

/** The version row holding exactly this text, created on first use. */
export async function pinVersion(db: AtlasDb, name: string, yaml: string, description: string): Promise<ConfigVersionRow> {
  const hash = contentHash(yaml);
  const existing = await findConfigVersionByHash(db, name, hash);
  if (existing) return existing;
  return db.transaction(async (tx) => {
    await lockConfigRow(tx, name, description);
    return (await findConfigVersionByHash(tx, name, hash)) ?? insertNextConfigVersion(tx, { name, yaml, contentHash: hash });
  });
}

function resolved(row: ConfigVersionRow, config: AtlasConfig, baseDir: string): ResolvedConfig {
  return { name: row.configName, yaml: row.yaml, config, versionId: row.id, version: row.version, hash: row.contentHash, baseDir };
}

/** Also applied to versions saved earlier: a folder removed from ATLAS_AGENT_PATHS stops their code loading. */
function parseOrThrow(label: string, yaml: string, baseDir: string): AtlasConfig {
  const parsed = parseOnServer(yaml, baseDir);
  if (!parsed.ok) throw new AtlasError("invalid_config", `config ${label} is invalid`, { issues: parsed.issues });
  return parsed.config;
}

async function readExampleOrThrow(name: string) {
  const stem = exampleStem(name);
  const file = stem === null ? null : await readExampleFile(stem);
  if (!file) throw new AtlasError("not_found", `config ${name} not found: no example file ${stem ?? name}.yaml in ${examplesDir()}`);
  return file;
}

function assertValidName(name: string): void {
  const problem = configNameProblem(name);
  if (problem) throw new AtlasError("invalid_input", problem);
}

function assertTextSize(name: string, yaml: string): void {
  if (yaml.length > MAX_CONFIG_CHARS) {
    throw new AtlasError("invalid_input", `config ${name} is too long: ${yaml.length} characters, at most ${MAX_CONFIG_CHARS}`);
  }
}

function missingVersion(name: string, version: number | undefined, versions: ConfigVersionMeta[]): AtlasError {
  if (versions.length === 0) return new AtlasError("not_found", `config ${name} not found`);
  const latest = versions[0]?.version;
  return new AtlasError("not_found", `config ${name} has no version ${version ?? "(latest)"}; versions run 1 to ${latest}`);
}

function versionInfo(row: ConfigVersionMeta): ConfigVersionInfo {
  return { id: row.id, version: row.version, hash: row.contentHash, createdAt: row.createdAt.toISOString() };
}

function versionDetail(row: ConfigVersionRow): ConfigVersionDetail {
  return { ...versionInfo(row), name: row.configName, yaml: row.yaml };
}
