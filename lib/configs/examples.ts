/**
 * Example configs: read-only YAML files under configs/examples (ATLAS_CONFIGS_DIR overrides the folder).
 */
import "server-only";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { AtlasError, errorMessage } from "@/lib/errors";
import { readEnv } from "@/lib/server/env";
import { exampleName, isExampleStem } from "./names";

export interface ExampleFile {
  name: string;
  stem: string;
  path: string;
  yaml: string;
}

const EXTENSION = ".yaml";

/** Read at call time so tests and the CLI can point it elsewhere. */
export function examplesDir(): string {
  const configured = readEnv("ATLAS_CONFIGS_DIR");
  // Examples are read from the install at run time; the bundler must not trace (copy) them into the build.
  if (configured) return path.resolve(/* turbopackIgnore: true */ configured);
  return path.join(/* turbopackIgnore: true */ process.cwd(), "configs", "examples");
}

/** Example files by name; a missing folder means no examples. Files whose stem cannot be a name are skipped. */
export async function listExampleFiles(): Promise<ExampleFile[]> {
  const dir = examplesDir();
  let entries: string[];
  try {
    entries = await readdir(/* turbopackIgnore: true */ dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new AtlasError("unavailable", `cannot list example configs in ${dir}: ${errorMessage(error)}`, { cause: error });
  }
  const stems = entries
    .filter((entry) => entry.endsWith(EXTENSION))
    .map((entry) => entry.slice(0, -EXTENSION.length))
    .filter((stem) => {
      if (isExampleStem(stem)) return true;
      console.warn(`example config ${stem}${EXTENSION} in ${dir} is skipped: its name must be lowercase letters, digits, ".", "_" or "-"`);
      return false;
    })
    .sort();
  const files = await Promise.all(stems.map((stem) => readExampleFile(stem)));
  return files.filter((file): file is ExampleFile => file !== null);
}

/** The example with this stem, or null when there is no such file. */
export async function readExampleFile(stem: string): Promise<ExampleFile | null> {
  if (!isExampleStem(stem)) return null;
  const dir = examplesDir();
  const filePath = path.join(dir, `${stem}${EXTENSION}`);
  // The stem pattern already forbids separators and "..": this is the second lock on the same door.
  if (path.dirname(filePath) !== dir) return null;
  try {
    return { name: exampleName(stem), stem, path: filePath, yaml: await readFile(/* turbopackIgnore: true */ filePath, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR") return null;
    throw new AtlasError("unavailable", `cannot read example config ${filePath}: ${errorMessage(error)}`, { cause: error });
  }
}

/** The first comment line of an example, which says what it shows. */
export function exampleDescription(yaml: string): string {
  const firstLine = yaml.split("\n", 1)[0] ?? "";
  return firstLine.startsWith("#") ? firstLine.replace(/^#+\s*/, "").trim() : "";
}
