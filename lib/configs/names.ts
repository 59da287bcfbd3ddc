/**
 * Config names: what may be saved, and the names the system reserves.
 * Browser-safe: no Node imports.
 */

/** Example files appear under this prefix (`examples/demo_offline`) and are read-only. */
export const EXAMPLE_PREFIX = "examples/";
/** Versions of YAML passed inline to a run are pinned under this name. */
export const INLINE_CONFIG_NAME = "inline";

const NAME_PATTERN = /^[a-z0-9][a-z0-9._/-]{0,99}$/;
const EXAMPLE_STEM_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * Names nobody can save under: `inline` holds run-pinned YAML, and `validate` / `schema` are the
 * static routes beside `/api/configs/[...name]`, so a config with those names could not be reached.
 */
const RESERVED_NAMES = new Set([INLINE_CONFIG_NAME, "validate", "schema"]);

/** Why a name is unusable, or null when it is fine. */
export function configNameProblem(name: string): string | null {
  if (!NAME_PATTERN.test(name)) {
    return `config name ${JSON.stringify(name)} is invalid: use 1-100 lowercase letters, digits, ".", "_", "-" or "/", starting with a letter or digit`;
  }
  if (name.includes("..")) return `config name ${JSON.stringify(name)} is invalid: it must not contain ".."`;
  if (name.split("/").some((segment) => segment === "" || segment === ".")) {
    return `config name ${JSON.stringify(name)} is invalid: no empty or "." parts between slashes`;
  }
  return null;
}

export function isValidConfigName(name: string): boolean {
  return configNameProblem(name) === null;
}

/** Why a name cannot be saved by a user (read-only or reserved), or null. */
export function configNameSaveProblem(name: string): string | null {
  const problem = configNameProblem(name);
  if (problem) return problem;
  if (isExampleName(name)) return `config ${name} is a read-only example; save it under a new name ("save as")`;
  if (RESERVED_NAMES.has(name)) return `config name ${JSON.stringify(name)} is reserved; choose another name`;
  return null;
}

export function isExampleName(name: string): boolean {
  return name.startsWith(EXAMPLE_PREFIX);
}

/** The file stem of an example name (`examples/demo_offline` → `demo_offline`), or null if it cannot be one. */
export function exampleStem(name: string): string | null {
  if (!isExampleName(name)) return null;
  const stem = name.slice(EXAMPLE_PREFIX.length);
  return isExampleStem(stem) ? stem : null;
}

export function exampleName(stem: string): string {
  return `${EXAMPLE_PREFIX}${stem}`;
}

export function isExampleStem(stem: string): boolean {
  return EXAMPLE_STEM_PATTERN.test(stem) && !stem.includes("..");
}
