/**
 * Source comments state the rule they follow instead of citing a document that is not in the
 * repository (the upstream behaviour spec and its appendix live outside it): a reader of the code must
 * not need them.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const SCANNED_FOLDERS = ["app", "bench", "components", "configs", "docs", "e2e", "lib"];
const SOURCE_FILE = /\.(ts|tsx|mjs|js|py|md)$/;
const SKIPPED_FOLDERS = new Set(["node_modules", ".next", ".output"]);
const OUTSIDE_REFERENCE = /\bspec\s+§|(^|[^\w])§\s?\d|\bAppendix\s+[A-Z]\d*\b|atlas-behavior\.md|shared\/(spec|design)\//i;
const SELF = path.relative(root, fileURLToPath(import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(relative);
    return SOURCE_FILE.test(entry.name) ? [relative] : [];
  });
}

/** `file:line: text` for each line that cites an outside document. */
export function outsideReferences(files: string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(path.join(root, file), "utf8")
      .split("\n")
      .flatMap((line, index) => (OUTSIDE_REFERENCE.test(line) && !line.includes("WHATWG") ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
  );
}

describe("references to documents outside the repository", () => {
  it("no source file or doc in the repository cites the outside spec", () => {
    const files = SCANNED_FOLDERS.flatMap(sourceFiles).filter((file) => file !== SELF);
    expect(files.length).toBeGreaterThan(100);
    expect(outsideReferences(files)).toEqual([]);
  });

  it("the scan recognises each citation form", () => {
    const samples = ["// spec §4.2", "/* see §6.6 */", " * Appendix A12: keep it", "read ../shared/spec/atlas-behavior.md"];
    for (const sample of samples) expect(OUTSIDE_REFERENCE.test(sample), sample).toBe(true);
    expect(OUTSIDE_REFERENCE.test("const spec = fixture.spec; // the fixture's spec")).toBe(false);
  });
});
