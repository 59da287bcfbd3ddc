import { describe, expect, it } from "vitest";
import { parseConfigObject, parseConfigText } from "./parse";

/** A minimal valid configuration; cases below edit it by line number (1-based, as shown). */
const BASE_LINES = [
  /*  1 */ "agent:",
  /*  2 */ "  type: http_api",
  /*  3 */ "  name: demo",
  /*  4 */ "  system_prompt: Answer briefly.",
  /*  5 */ "  transport:",
  /*  6 */ "    base_url: http://localhost:8080/agent",
  /*  7 */ "teacher:",
  /*  8 */ "  llm:",
  /*  9 */ "    model: gpt-4o-mini",
  /* 10 */ "rim:",
  /* 11 */ "  small_model:",
  /* 12 */ "    model: gpt-4o-mini",
  /* 13 */ "  large_model:",
  /* 14 */ "    model: gpt-4o",
];
const BASE = BASE_LINES.join("\n") + "\n";

/** Replaces lines `first..last` (inclusive) with `replacement` lines. */
function replaceLines(first: number, last: number, ...replacement: string[]): string {
  return [...BASE_LINES.slice(0, first - 1), ...replacement, ...BASE_LINES.slice(last)].join("\n") + "\n";
}
const insertAfter = (line: number, ...inserted: string[]) => replaceLines(line + 1, line, ...inserted);
const append = (...appended: string[]) => BASE + appended.join("\n") + "\n";

const OPENAI_AGENT = [
  "agent:",
  "  type: openai",
  "  name: demo",
  "  system_prompt: Answer briefly.",
  "  llm:",
  "    provider: anthropic",
  "    model: claude-haiku-4-5",
];

interface InvalidCase {
  name: string;
  text: string;
  path: string;
  line: number;
  column: number;
  message: string | RegExp;
}

const invalidCases: InvalidCase[] = [
  {
    name: "wrong type",
    text: insertAfter(9, "    temperature: hot"),
    path: "teacher.llm.temperature",
    line: 10,
    column: 18,
    message: 'expected a number, got the string "hot"',
  },
  {
    name: "number out of bounds",
    text: append("orchestration:", "  max_retries: 9"),
    path: "orchestration.max_retries",
    line: 16,
    column: 16,
    message: "must be at most 5, got 9",
  },
  {
    name: "unknown key at the root",
    text: append("foo: 1"),
    path: "foo",
    line: 15,
    column: 1,
    message: 'unknown key "foo"',
  },
  {
    name: "unknown nested key",
    text: insertAfter(6, "    foo: bar"),
    path: "agent.transport.foo",
    line: 7,
    column: 5,
    message: 'unknown key "foo"',
  },
  {
    name: "missing required key (points at the parent's key)",
    text: replaceLines(9, 9, "    temperature: 0.1"),
    path: "teacher.llm.model",
    line: 8,
    column: 3,
    message: 'missing required key "model"',
  },
  {
    name: "missing required section (points at the root mapping)",
    text: ["# Atlas configuration", ...BASE_LINES.slice(0, 9)].join("\n"),
    path: "rim",
    line: 2,
    column: 1,
    message: 'missing required key "rim"',
  },
  {
    name: "bad enum value (tool_choice)",
    text: append("student:", "  tool_choice: sometimes"),
    path: "student.tool_choice",
    line: 16,
    column: 16,
    message: 'expected "auto" | "required", got the string "sometimes"',
  },
  {
    name: "bad enum value (provider)",
    text: insertAfter(8, "    provider: openia"),
    path: "teacher.llm.provider",
    line: 9,
    column: 15,
    message: /^expected "openai" \| "anthropic" \| .*, got the string "openia"$/,
  },
  {
    name: "unknown agent type",
    text: replaceLines(2, 2, "  type: grpc"),
    path: "agent.type",
    line: 2,
    column: 9,
    message: 'type must be one of http_api, python, openai, litellm, module; got the string "grpc"',
  },
  {
    name: "tool `required` names a property that does not exist",
    text: insertAfter(
      4,
      "  tools:",
      "    - name: lookup",
      "      description: Look something up.",
      "      parameters:",
      "        properties:",
      "          query: {type: string}",
      "        required: [query, limit, depth]",
    ),
    path: "agent.tools.0.parameters.required",
    line: 11,
    column: 19,
    message: "required fields missing from properties: depth, limit",
  },
  {
    name: "result_path given as a bare string",
    text: insertAfter(6, "  result_path: data.output"),
    path: "agent.result_path",
    line: 7,
    column: 16,
    message: 'expected a list, got the string "data.output"',
  },
  {
    name: "output_schema in snake case (only outputSchema is accepted)",
    text: insertAfter(4, "  tools:", "    - name: lookup", "      description: Look something up.", "      output_schema: null"),
    path: "agent.tools.0.output_schema",
    line: 8,
    column: 7,
    message: 'unknown key "output_schema" (did you mean "outputSchema"?)',
  },
  {
    name: "YAML syntax error: unclosed flow sequence",
    text: replaceLines(12, 12, "    model: [gpt-4o-mini"),
    // yaml notices the missing "]" where the next key starts; a syntax error names no config path
    path: "",
    line: 13,
    column: 3,
    message: /^invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]/,
  },
  {
    name: "YAML syntax error: unclosed quote",
    text: replaceLines(3, 3, '  name: "demo'),
    // the quoted scalar runs to the end of the file, where yaml reports it
    path: "",
    line: 15,
    column: 1,
    message: 'invalid YAML: Missing closing "quote',
  },
  {
    name: "duplicate key",
    text: insertAfter(3, "  name: again"),
    path: "agent.name",
    line: 4,
    column: 3,
    message: 'duplicate key "name"',
  },
  {
    name: "duplicate key after an empty value",
    text: replaceLines(6, 6, "    base_url:", "    base_url: http://localhost:8080/agent"),
    path: "agent.transport.base_url",
    line: 7,
    column: 5,
    message: 'duplicate key "base_url"',
  },
  {
    name: "tab indentation",
    text: replaceLines(9, 9, "\tmodel: gpt-4o-mini"),
    path: "",
    line: 9,
    column: 1,
    message: "invalid YAML: Tabs are not allowed as indentation",
  },
  {
    name: "empty file",
    text: "",
    path: "",
    line: 1,
    column: 1,
    message: "configuration is empty: expected a mapping with agent, teacher and rim",
  },
  {
    name: "comments only",
    text: "# nothing here yet\n\n# still nothing\n",
    path: "",
    line: 1,
    column: 1,
    message: "configuration is empty: expected a mapping with agent, teacher and rim",
  },
  {
    name: "a list at the root",
    text: "# agents\n- name: demo\n- name: other\n",
    path: "",
    line: 2,
    column: 1,
    message: "configuration must be a mapping (got a sequence)",
  },
  {
    name: "a scalar at the root",
    text: "\n  just some text\n",
    path: "",
    line: 2,
    column: 3,
    message: "configuration must be a mapping (got a string)",
  },
  {
    name: "prompt_rewrite block",
    text: append("prompt_rewrite:", "  max_tokens: 256"),
    path: "prompt_rewrite",
    line: 16,
    column: 3,
    message:
      "prompt_rewrite is not supported: Atlas builds persona prompts from templates; " +
      "remove the prompt_rewrite block or use student.prompts / teacher.prompts",
  },
  {
    name: "a section from a later SDK version",
    text: append("learning:", "  enabled: true"),
    path: "learning",
    line: 15,
    column: 1,
    message: 'section "learning" is from a later Atlas SDK version and is not supported yet',
  },
  {
    name: "a nested key from a later SDK version",
    text: append("orchestration:", "  forced_mode: paired"),
    path: "orchestration.forced_mode",
    line: 16,
    column: 3,
    message: 'key "orchestration.forced_mode" is from a later Atlas SDK version and is not supported yet',
  },
  {
    name: "api_key_env that is not an environment variable name",
    text: insertAfter(9, "    api_key_env: sk-live-123"),
    path: "teacher.llm.api_key_env",
    line: 10,
    column: 18,
    message: "api_key_env must be an environment variable name, e.g. OPENAI_API_KEY",
  },
  {
    name: "base_url that is not an http(s) URL",
    text: replaceLines(6, 6, "    base_url: localhost:8080/agent"),
    path: "agent.transport.base_url",
    line: 6,
    column: 15,
    message: "base_url must be an http(s) URL, e.g. http://localhost:8080/agent",
  },
  {
    name: "openai adapter with a non-OpenAI provider",
    text: replaceLines(1, 6, ...OPENAI_AGENT),
    path: "agent.llm.provider",
    line: 6,
    column: 15,
    message: "openai adapter requires an OpenAI compatible provider",
  },
  {
    name: "empty value where a mapping is required (points at the key)",
    text: replaceLines(8, 9, "  llm:"),
    path: "teacher.llm",
    line: 8,
    column: 3,
    message: "expected a mapping, got null",
  },
  {
    name: "custom judge reusing a built-in identifier",
    text: append("  custom_judges:", "    - identifier: process", "      prompt: Reward clear steps."),
    path: "rim.custom_judges.0.identifier",
    line: 16,
    column: 19,
    message: 'identifier "process" is reserved for a built-in judge',
  },
];

describe("parseConfigText", () => {
  it("accepts the minimal base configuration and fills in defaults", () => {
    const result = parseConfigText(BASE);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.student.tool_choice).toBe("auto");
    expect(result.config.orchestration.max_retries).toBe(1);
    expect(result.config.teacher.llm.api_key_env).toBe("OPENAI_API_KEY");
    expect(result.config.storage).toBeNull();
    expect(result.document).toEqual({
      agent: {
        type: "http_api",
        name: "demo",
        system_prompt: "Answer briefly.",
        transport: { base_url: "http://localhost:8080/agent" },
      },
      teacher: { llm: { model: "gpt-4o-mini" } },
      rim: { small_model: { model: "gpt-4o-mini" }, large_model: { model: "gpt-4o" } },
    });
  });

  it.each(invalidCases)("rejects: $name", ({ text, path, line, column, message }) => {
    const result = parseConfigText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ path, line, column });
    if (typeof message === "string") expect(result.issues[0]?.message).toBe(message);
    else expect(result.issues[0]?.message).toMatch(message);
  });

  it("names no config path for a syntax error, only its line, column and the parser's message", () => {
    // Once reported as `agent.tools: invalid YAML` / `foo.null`: the path of a broken document is noise.
    for (const text of [insertAfter(3, "  tools: [a, b", "  other: 1"), "foo:\n  null: [\n", "agent:\n  tools:\n    - a\n   - b\n"]) {
      const result = parseConfigText(text);
      if (result.ok) throw new Error(`accepted: ${text}`);
      expect(result.issues.length).toBeGreaterThan(0);
      for (const issue of result.issues) {
        expect(issue.path).toBe("");
        expect(issue.message).toMatch(/^invalid YAML: \S/);
        expect(issue.line).toBeGreaterThan(0);
        expect(issue.column).toBeGreaterThan(0);
      }
    }
  });

  it("has at least 18 invalid cases", () => {
    expect(invalidCases.length).toBeGreaterThanOrEqual(18);
  });

  it("reports every unknown key of a mapping separately, sorted by position", () => {
    const result = parseConfigText(append("zeta: 1", "alpha: 2") + "teacher_extra: 3\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(({ path, line, column }) => ({ path, line, column }))).toEqual([
      { path: "zeta", line: 15, column: 1 },
      { path: "alpha", line: 16, column: 1 },
      { path: "teacher_extra", line: 17, column: 1 },
    ]);
  });

  it("orders issues from different sections by line, then column", () => {
    const text = [
      "extra: 1", // zod reports unknown root keys last; sorting puts this first
      ...BASE_LINES.slice(0, 3),
      "  foo: 1",
      ...BASE_LINES.slice(3, 9),
      "    temperature: 3",
      "rim:",
      "  small_model: {model: x, top_p: 2}",
      ...BASE_LINES.slice(12),
    ].join("\n");
    const result = parseConfigText(text);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues.map(({ path, line, column }) => ({ path, line, column }))).toEqual([
      { path: "extra", line: 1, column: 1 },
      { path: "agent.foo", line: 5, column: 3 },
      { path: "teacher.llm.temperature", line: 12, column: 18 },
      { path: "rim.small_model.top_p", line: 14, column: 34 },
    ]);
  });

  it("reports an alias without an anchor with its position", () => {
    const result = parseConfigText(replaceLines(14, 14, "    model: *large"));
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          path: "rim.large_model.model",
          message: 'unknown alias "*large": no anchor "&large" defined before it',
          line: 14,
          column: 12,
        },
      ],
    });
  });

  it("follows anchors and aliases", () => {
    const result = parseConfigText(
      replaceLines(11, 14, "  small_model: &judge", "    model: gpt-4o-mini", "  large_model: *judge"),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.rim.large_model.model).toBe("gpt-4o-mini");
  });
});

describe("parseConfigObject", () => {
  const valid = {
    agent: { type: "litellm", name: "demo", system_prompt: "Answer.", llm: { provider: "anthropic", model: "claude-haiku-4-5" } },
    teacher: { llm: { model: "gpt-4o-mini" } },
    rim: { small_model: { model: "gpt-4o-mini" }, large_model: { model: "gpt-4o" } },
  };

  it("accepts a valid object and returns it as the document", () => {
    const result = parseConfigObject(valid);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.agent.type).toBe("litellm");
    expect(result.document).toBe(valid);
  });

  it("reports dotted paths without positions", () => {
    const result = parseConfigObject({ ...valid, teacher: { llm: {} }, extra: true });
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: "teacher.llm.model", message: 'missing required key "model"' },
        { path: "extra", message: 'unknown key "extra"' },
      ],
    });
  });

  it("rejects a non-object", () => {
    const result = parseConfigObject([1, 2]);
    expect(result).toEqual({ ok: false, issues: [{ path: "", message: "expected a mapping, got a list" }] });
  });
});
