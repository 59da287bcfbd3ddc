/**
 * Hostile YAML answers quickly with one issue: the parser (which the browser editor also runs), and the CLI.
 * The server's answer (400) is in app/api/fuzz.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "@/lib/cli/main";
import { captureIO } from "@/lib/cli/testing";
import { billionLaughs, deepBlockNesting, deeplyNested, tenMegabytes } from "@/lib/testing/hostile-yaml";
import { parseConfigText, YAML_LIMITS } from "./parse";

const folder = mkdtempSync(path.join(tmpdir(), "atlas-yaml-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const HOSTILE = [
  { name: "billion laughs", text: billionLaughs(), message: "invalid YAML: Excessive alias count" },
  { name: "a 10 MB document", text: tenMegabytes(), message: `at most ${YAML_LIMITS.maxChars}` },
  { name: "flow nesting 200,000 deep", text: deeplyNested(), message: `nested more than ${YAML_LIMITS.maxDepth} levels deep` },
  { name: "block nesting 100 deep", text: deepBlockNesting(), message: `nested more than ${YAML_LIMITS.maxDepth} levels deep` },
];

describe("YAML bounds", () => {
  it.each(HOSTILE)("the parser refuses $name with one issue", ({ text, message }) => {
    const result = parseConfigText(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues).toEqual([expect.objectContaining({ path: "", message: expect.stringContaining(message) })]);
  });

  it("a document within the bounds still parses (nesting up to the limit, aliases below it)", () => {
    const nested = parseConfigText(`metadata: ${"[".repeat(YAML_LIMITS.maxDepth - 1)}${"]".repeat(YAML_LIMITS.maxDepth - 1)}\n`);
    expect(nested.ok ? [] : nested.issues.map((issue) => issue.message).join()).not.toContain("nested more than");
  });

  it.each(HOSTILE)("atlas validate refuses $name", async ({ name, text, message }) => {
    const file = path.join(folder, `${name.replaceAll(/\W+/g, "-")}.yaml`);
    writeFileSync(file, text);
    const capture = captureIO({ cwd: folder });
    expect(await main(["validate", file], capture.io)).toBe(1);
    expect(capture.stderr()).toContain(message);
  });
});
