import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "./parse";

const SHARED = fileURLToPath(new URL("../../../shared/upstream-fixtures/", import.meta.url));
const PROJECT_CONFIGS = fileURLToPath(new URL("../../configs/", import.meta.url));
const LATER_VERSION = /is from a later Atlas SDK version and is not supported yet$/;

if (!existsSync(SHARED)) console.warn("skipping: ../shared/upstream-fixtures not found");

const parseFile = (path: string) => parseConfigText(readFileSync(path, "utf8"));

/** The section as upstream's documentation writes it, every key at its default. */
const UPSTREAM_RUNTIME_SAFETY = `runtime_safety:
  drift:
    enabled: true
    window: 50
    z_threshold: 3.0
    min_baseline: 5
  review:
    require_approval: true
    default_export_statuses: [approved]
`;

/** Drops top-level YAML sections (a key at column 0 and its indented block). */
function withoutSections(text: string, names: string[]): string {
  const kept: string[] = [];
  let skipping = false;
  for (const line of text.split("\n")) {
    const topKey = /^([A-Za-z_][\w-]*):/.exec(line)?.[1];
    if (topKey !== undefined) skipping = names.includes(topKey);
    if (!skipping) kept.push(line);
  }
  return kept.join("\n");
}

describe.skipIf(!existsSync(SHARED))("upstream v0.1.1 configurations", () => {
  const root = join(SHARED, "v0.1.1");

  it.each([
    "configs/examples/http_agent.yaml",
    "configs/examples/openai_agent.yaml",
    "configs/examples/python_agent.yaml",
    "docker/configs/atlas.docker.yaml",
    "examples/arc_agi_demo/configs/arc_agi_demo.yaml",
  ])("%s validates", (file) => {
    const result = parseFile(join(root, file));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it.each(["configs/default_rim.yaml", "docker/docker-compose.yaml"])(
    "%s is not an AtlasConfig and fails cleanly",
    (file) => {
      const result = parseFile(join(root, file));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.issues.length).toBeGreaterThan(0);
      for (const issue of result.issues) {
        expect(issue.message).not.toBe("");
        expect(issue.line).toBeGreaterThanOrEqual(1);
        expect(issue.column).toBeGreaterThanOrEqual(1);
      }
    },
  );

  it("the upstream HTTP example keeps its tool and transport settings", () => {
    const result = parseFile(join(root, "configs/examples/http_agent.yaml"));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { agent } = result.config;
    if (agent.type !== "http_api") throw new Error(`unexpected agent type ${agent.type}`);
    expect(agent.tools[0]?.parameters.required).toEqual(["query"]);
    expect(agent.tools[0]?.outputSchema).toBeNull();
    expect(agent.transport.retry).toEqual({ attempts: 3, backoff_seconds: 1 });
    expect(agent.result_path).toEqual(["data", "output"]);
  });
});

describe.skipIf(!existsSync(SHARED))("upstream v0.1.15 configurations", () => {
  const root = join(SHARED, "v0.1.15");
  const yamlIn = (dir: string) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((name) => name.endsWith(".yaml"))
          .map((name) => `${dir}/${name}`)
      : [];
  const files = [
    ...yamlIn("configs/examples"),
    "atlas/templates/openai_agent.yaml",
    "docker/configs/atlas.docker.yaml",
    "examples/mcp_tool_learning/config.yaml",
    ...yamlIn("configs/eval/learning"),
  ];

  it("finds the fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(11);
  });

  it.each(files)("%s validates or fails only on later-version keys", (file) => {
    const result = parseFile(join(root, file));
    if (result.ok) return;
    for (const issue of result.issues) expect(issue.message).toMatch(LATER_VERSION);
  });

  it("fails only on the still-unsupported sections, and names them", () => {
    const unsupported = new Set<string>();
    for (const file of files) {
      const result = parseFile(join(root, file));
      if (!result.ok) for (const issue of result.issues) unsupported.add(issue.path.split(".")[0] ?? "");
    }
    expect([...unsupported].sort()).toEqual(expect.arrayContaining(["learning"]));
    for (const section of unsupported) expect(["learning", "adaptive_teaching", "agent", "orchestration", "storage", "reward", "mcp", "metadata_digest"]).toContain(section);
  });

  it.each(files)("%s validates with an upstream runtime_safety section once the unsupported sections are removed", (file) => {
    const text = readFileSync(join(root, file), "utf8");
    const result = parseConfigText(`${withoutSections(text, ["learning", "adaptive_teaching"])}\n${UPSTREAM_RUNTIME_SAFETY}`);
    if (!result.ok) {
      // Some also use agent.metadata_digest, another later-version key; runtime_safety itself is never the problem.
      for (const issue of result.issues) expect(issue).toMatchObject({ path: "agent.metadata_digest", message: expect.stringMatching(LATER_VERSION) });
      return;
    }
    expect(result.config.runtime_safety?.review).toEqual({ require_approval: true, default_export_statuses: ["approved"] });
    expect(result.config.runtime_safety?.drift).toMatchObject({ enabled: true, window: 50, z_threshold: 3, min_baseline: 5 });
  });

  it("accepts the litellm adapter and rim.judge_prompt once later-version sections are removed", () => {
    const text = readFileSync(join(root, "configs/examples/openai_agent.yaml"), "utf8");
    const result = parseConfigText(text.slice(0, text.indexOf("\nlearning:")));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.agent.type).toBe("litellm");
    expect(result.config.rim.judge_prompt).toContain("security analysis");
  });
});

describe("project configurations under configs/", () => {
  const files = existsSync(PROJECT_CONFIGS)
    ? readdirSync(PROJECT_CONFIGS, { recursive: true, encoding: "utf8" }).filter((name) => /\.ya?ml$/.test(name))
    : [];

  it("include the three examples", () => {
    expect(files).toEqual(
      expect.arrayContaining(["examples/http_agent.yaml", "examples/openai_agent.yaml", "examples/python_agent.yaml"]),
    );
  });

  it.each(files)("%s validates", (file) => {
    const result = parseFile(join(PROJECT_CONFIGS, file));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });
});
