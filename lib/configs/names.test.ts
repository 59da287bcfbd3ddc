import { describe, expect, it } from "vitest";
import { configNameProblem, configNameSaveProblem, exampleStem } from "./names";

describe("config names", () => {
  it("accepts lowercase names with folders", () => {
    for (const name of ["prod", "team/support-agent", "a.b_c-d/e2", "x".repeat(100)]) expect(configNameProblem(name)).toBeNull();
  });

  it("rejects traversal, empty parts, capitals, leading punctuation and overlong names, saying why", () => {
    expect(configNameProblem("a/../b")).toContain('must not contain ".."');
    expect(configNameProblem("a..b")).toContain('must not contain ".."');
    expect(configNameProblem("a//b")).toContain("no empty");
    expect(configNameProblem("a/./b")).toContain("no empty");
    expect(configNameProblem("a/")).toContain("no empty");
    for (const name of ["", "/etc/passwd", "Prod", ".hidden", "-x", "a b", "x".repeat(101), "a\\b"]) {
      expect(configNameProblem(name)).toContain("is invalid");
    }
  });

  it("keeps examples read-only and reserved names unsaveable", () => {
    expect(configNameSaveProblem("examples/demo_offline")).toContain("read-only example");
    for (const name of ["inline", "validate", "schema"]) expect(configNameSaveProblem(name)).toContain("reserved");
    expect(configNameSaveProblem("team/inline")).toBeNull();
  });

  it("maps example names to file stems only when the stem is a plain file name", () => {
    expect(exampleStem("examples/demo_offline")).toBe("demo_offline");
    for (const name of ["examples/sub/x", "examples/", "examples/.x", "demo"]) expect(exampleStem(name)).toBeNull();
  });
});
