import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configs, configVersions } from "@/lib/db/schema";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { rejection } from "@/lib/testing/rejection";
import { contentHash } from "./hash";
import {
  getConfig,
  getConfigVersion,
  getConfigVersionById,
  listConfigs,
  resolveConfigForRun,
  saveConfig,
  validateConfigText,
} from "./service";

const VALID = [
  "agent:",
  "  type: http_api",
  "  name: demo",
  "  system_prompt: Answer briefly.",
  "  transport:",
  "    base_url: http://localhost:8080/agent",
  "teacher:",
  "  llm:",
  "    model: gpt-4o-mini",
  "rim:",
  "  small_model:",
  "    model: gpt-4o-mini",
  "  large_model:",
  "    model: gpt-4o",
  "",
].join("\n");
const EDITED = VALID.replace("Answer briefly.", "Answer in one sentence.");
/** Line 9, column 18: a string where a number belongs. */
const INVALID = VALID.replace("    model: gpt-4o-mini\nrim:", "    model: gpt-4o-mini\n    temperature: hot\nrim:");

const examplesFolder = mkdtempSync(path.join(tmpdir(), "atlas-examples-"));
const previousConfigsDir = process.env.ATLAS_CONFIGS_DIR;
beforeAll(() => {
  process.env.ATLAS_CONFIGS_DIR = examplesFolder;
});
afterAll(() => {
  if (previousConfigsDir === undefined) delete process.env.ATLAS_CONFIGS_DIR;
  else process.env.ATLAS_CONFIGS_DIR = previousConfigsDir;
  rmSync(examplesFolder, { recursive: true, force: true });
});
beforeEach(() => {
  rmSync(examplesFolder, { recursive: true, force: true });
  writeExample("demo.yaml", `# A demo agent.\n${VALID}`);
  writeExample("broken.yaml", INVALID);
  writeExample("Not A Name.yaml", VALID);
  writeExample("notes.txt", "not yaml at all");
});

function writeExample(file: string, text: string) {
  mkdirSync(examplesFolder, { recursive: true });
  writeFileSync(path.join(examplesFolder, file), text);
}

describe("validateConfigText (no database)", () => {
  it("accepts a valid config and locates every problem of an invalid one", () => {
    expect(validateConfigText(VALID)).toEqual({ ok: true });
    expect(validateConfigText(INVALID)).toEqual({
      ok: false,
      issues: [{ path: "teacher.llm.temperature", message: 'expected a number, got the string "hot"', line: 10, column: 18 }],
    });
  });
});

const drivers = await availableDrivers();
for (const { driver, skip } of drivers) {
  if (skip) console.warn(`[skip] configs service on ${driver}: ${skip}`);

  describe.skipIf(skip)(`configs service on ${driver}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(driver);
    });
    afterAll(async () => {
      await database?.close();
    });
    afterEach(async () => {
      await database.db.delete(configs);
    });

    it("saves versions that are immutable, numbered 1, 2 … and deduplicated by content", async () => {
      const { db } = database;
      expect(await saveConfig(db, "team/support", VALID, { description: "support agent" })).toEqual({
        name: "team/support",
        version: 1,
        hash: contentHash(VALID),
        created: true,
      });
      expect(await saveConfig(db, "team/support", VALID)).toMatchObject({ version: 1, created: false });
      expect(await saveConfig(db, "team/support", EDITED, { expectedVersion: 1 })).toMatchObject({ version: 2, created: true });

      const rows = await db.select().from(configVersions).where(eq(configVersions.configName, "team/support"));
      expect(rows.map((row) => [row.version, row.yaml]).sort()).toEqual([
        [1, VALID],
        [2, EDITED],
      ]);
      const detail = await getConfig(db, "team/support");
      expect(detail).toMatchObject({ source: "saved", readOnly: false, yaml: EDITED, version: 2, description: "support agent" });
      expect(detail.versions.map((version) => version.version)).toEqual([2, 1]);
      expect((await getConfig(db, "team/support", { version: 1 })).yaml).toBe(VALID);
      expect(await getConfigVersion(db, "team/support", 1)).toMatchObject({ version: 1, yaml: VALID, hash: contentHash(VALID) });
      expect((await getConfigVersionById(db, detail.versions[0]!.id)).yaml).toBe(EDITED);
    });

    it("restores an older text as a new version, keeping history immutable", async () => {
      const { db } = database;
      await saveConfig(db, "revert", VALID);
      await saveConfig(db, "revert", EDITED);
      expect(await saveConfig(db, "revert", VALID, { expectedVersion: 2 })).toMatchObject({ version: 3, created: true });
      const detail = await getConfig(db, "revert");
      expect(detail).toMatchObject({ version: 3, yaml: VALID, hash: contentHash(VALID) });
      expect((await getConfigVersion(db, "revert", 1)).yaml).toBe(VALID);
      expect((await getConfigVersion(db, "revert", 2)).yaml).toBe(EDITED);
    });

    it("detects a concurrent edit through expectedVersion and keeps the other edit", async () => {
      const { db } = database;
      await saveConfig(db, "shared", VALID);
      await saveConfig(db, "shared", EDITED, { expectedVersion: 1 });
      const stale = await rejection(saveConfig(db, "shared", EDITED.replace("one sentence", "two"), { expectedVersion: 1 }));
      expect(stale.code).toBe("conflict");
      expect(stale.message).toBe("config shared changed since you opened it: version 2 is newer");
      expect((await getConfig(db, "shared")).yaml).toBe(EDITED);

      const taken = await rejection(saveConfig(db, "shared", VALID, { expectedVersion: 0 }));
      expect(taken.message).toBe("config shared already exists (version 2); choose another name or open it");
      const ahead = await rejection(saveConfig(db, "fresh", VALID, { expectedVersion: 3 }));
      expect(ahead.code).toBe("conflict");
      await expect(getConfig(db, "fresh")).rejects.toMatchObject({ code: "not_found" });
    });

    it("gives concurrent saves of one config distinct version numbers", async () => {
      const { db } = database;
      const texts = [1, 2, 3, 4].map((n) => VALID.replace("Answer briefly.", `Answer in ${n} words.`));
      const results = await Promise.all(texts.map((text) => saveConfig(db, "busy", text)));
      expect(results.map((result) => result.version).sort()).toEqual([1, 2, 3, 4]);
    });

    it("saves nothing for an invalid config and reports every issue with line and column", async () => {
      const { db } = database;
      const error = await rejection(saveConfig(db, "broken", INVALID, { description: "never stored" }));
      expect(error.code).toBe("invalid_config");
      expect(error.message).toBe("config broken is invalid");
      expect(error.issues).toEqual([
        { path: "teacher.llm.temperature", message: 'expected a number, got the string "hot"', line: 10, column: 18 },
      ]);
      expect(await db.select().from(configs)).toEqual([]);
      expect(await db.select().from(configVersions)).toEqual([]);
    });

    it("refuses examples, reserved and malformed names, and path traversal", async () => {
      const { db } = database;
      const example = await rejection(saveConfig(db, "examples/demo", VALID));
      expect(example.code).toBe("conflict");
      expect(example.message).toContain("read-only example");
      for (const name of ["inline", "validate", "schema"]) {
        expect((await rejection(saveConfig(db, name, VALID))).code).toBe("invalid_input");
      }
      for (const name of ["../etc/passwd", "examples/../../etc/passwd", "a//b", "/abs", "Upper", "a/", "", "x".repeat(101)]) {
        expect((await rejection(saveConfig(db, name, VALID))).code).toBe("invalid_input");
        expect((await rejection(getConfig(db, name))).code).toBe("invalid_input");
        expect((await rejection(resolveConfigForRun(db, { name }))).code).toBe("invalid_input");
      }
      // A stem that would reach outside the folder is simply not an example.
      for (const name of ["examples/sub/demo", "examples/.hidden", "examples/missing"]) {
        expect((await rejection(getConfig(db, name))).code).toBe("not_found");
        expect((await rejection(resolveConfigForRun(db, { name }))).code).toBe("not_found");
      }
      expect(await db.select().from(configs)).toEqual([]);
    });

    it("lists saved configs and examples, invalid ones flagged rather than hidden", async () => {
      const { db } = database;
      await saveConfig(db, "zeta", VALID, { description: "last" });
      await saveConfig(db, "alpha", VALID);
      await saveConfig(db, "alpha", EDITED);
      await resolveConfigForRun(db, { yaml: EDITED });
      await resolveConfigForRun(db, { name: "examples/demo" });

      const listed = await listConfigs(db);
      expect(listed.map((config) => [config.name, config.source, config.version, config.valid])).toEqual([
        ["alpha", "saved", 2, true],
        ["zeta", "saved", 1, true],
        ["examples/broken", "example", null, false],
        ["examples/demo", "example", 1, true],
      ]);
      const demo = listed.find((config) => config.name === "examples/demo");
      expect(demo).toMatchObject({ description: "A demo agent.", hash: contentHash(`# A demo agent.\n${VALID}`), issueCount: 0 });
      expect(listed.find((config) => config.name === "examples/broken")?.issueCount).toBe(1);
      expect(listed.find((config) => config.name === "zeta")?.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    });

    it("resolves an example to its file content, pinned to one immutable version per distinct content", async () => {
      const { db } = database;
      const first = await resolveConfigForRun(db, { name: "examples/demo" });
      expect(first).toMatchObject({
        name: "examples/demo",
        yaml: `# A demo agent.\n${VALID}`,
        version: 1,
        hash: contentHash(`# A demo agent.\n${VALID}`),
        baseDir: path.resolve(examplesFolder),
      });
      expect(first.config.agent.name).toBe("demo");
      expect((await resolveConfigForRun(db, { name: "examples/demo" })).versionId).toBe(first.versionId);

      writeExample("demo.yaml", EDITED);
      const changed = await resolveConfigForRun(db, { name: "examples/demo" });
      expect(changed).toMatchObject({ version: 2, yaml: EDITED });
      expect(changed.versionId).not.toBe(first.versionId);
      const pinnedFirst = await resolveConfigForRun(db, { name: "examples/demo", version: 1 });
      expect(pinnedFirst).toMatchObject({ versionId: first.versionId, yaml: first.yaml });

      const detail = await getConfig(db, "examples/demo");
      expect(detail).toMatchObject({ source: "example", readOnly: true, yaml: EDITED, version: 2 });
      expect(detail.versions.map((version) => version.version)).toEqual([2, 1]);

      const invalid = await rejection(resolveConfigForRun(db, { name: "examples/broken" }));
      expect(invalid.code).toBe("invalid_config");
      expect(invalid.issues?.[0]).toMatchObject({ path: "teacher.llm.temperature", line: 10, column: 18 });
      await expect(getConfig(db, "examples/broken")).resolves.toMatchObject({ version: null, versions: [] });
    });

    it("resolves inline YAML under the name inline, versioned by hash, and saved configs at their latest", async () => {
      const { db } = database;
      const inline = await resolveConfigForRun(db, { yaml: VALID });
      // Relative agent paths of inline and saved configs resolve against the configs directory (issue #9).
      expect(inline).toMatchObject({ name: "inline", version: 1, hash: contentHash(VALID), baseDir: examplesFolder });
      expect((await resolveConfigForRun(db, { yaml: EDITED })).version).toBe(2);
      expect((await resolveConfigForRun(db, { yaml: VALID })).versionId).toBe(inline.versionId);
      expect((await rejection(resolveConfigForRun(db, { yaml: INVALID }))).code).toBe("invalid_config");
      expect((await getConfig(db, "inline")).versions).toHaveLength(2);
      expect((await rejection(resolveConfigForRun(db, { name: "inline" }))).code).toBe("invalid_input");
      expect((await resolveConfigForRun(db, { name: "inline", version: 2 })).yaml).toBe(EDITED);

      await saveConfig(db, "prod", VALID);
      await saveConfig(db, "prod", EDITED);
      const saved = await resolveConfigForRun(db, { name: "prod" });
      expect(saved).toMatchObject({ name: "prod", version: 2, yaml: EDITED, hash: contentHash(EDITED), baseDir: examplesFolder });
      expect((await resolveConfigForRun(db, { name: "prod", version: 1 })).yaml).toBe(VALID);
      expect((await rejection(resolveConfigForRun(db, { name: "prod", version: 3 }))).code).toBe("not_found");
      expect((await rejection(resolveConfigForRun(db, { name: "nope" }))).code).toBe("not_found");
    });
  });
}
