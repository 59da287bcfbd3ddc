import { describe, expect, it } from "vitest";
import { parseConfigText } from "./parse";
import { closestKey, keysAt } from "./schema-walk";
import { cursorContext } from "./yaml-cursor";

/** The text with `|` marking the cursor. */
function at(marked: string) {
  const offset = marked.indexOf("|");
  return cursorContext(marked.replace("|", ""), offset);
}

describe("the cursor's place in a YAML config", () => {
  it("finds the mapping path of a key at any depth, list items included", () => {
    expect(at("orch|")).toMatchObject({ path: [], kind: "key", prefix: "orch" });
    expect(at("orchestration:\n  max_|")).toMatchObject({ path: ["orchestration"], kind: "key", prefix: "max_" });
    expect(at("agent:\n  type: http_api\n  transport:\n    # the endpoint\n    he|")).toMatchObject({ path: ["agent", "transport"], prefix: "he" });
    expect(at("agent:\n  tools:\n    - name: a\n      desc|")).toMatchObject({ path: ["agent", "tools", 0], prefix: "desc" });
    expect(at("agent:\n  tools:\n    - |")).toMatchObject({ path: ["agent", "tools", 0], prefix: "" });
    expect(at("rim:\n  small_model:\n    model: x\n  large|")).toMatchObject({ path: ["rim"], prefix: "large" });
  });

  it("knows when a value is being typed, and for which key", () => {
    expect(at("agent:\n  type: htt|")).toMatchObject({ path: ["agent"], kind: "value", key: "type", prefix: "htt" });
    expect(at("student:\n  tool_choice: |")).toMatchObject({ path: ["student"], kind: "value", key: "tool_choice", prefix: "" });
  });
});

describe("the JSON Schema at a path", () => {
  it("lists the keys of any mapping with their descriptions and allowed values", () => {
    const orchestration = keysAt(["orchestration"]);
    expect(orchestration.map((key) => key.name)).toContain("max_parallel_steps");
    expect(orchestration.find((key) => key.name === "max_retries")?.description).toMatch(/Retries per step/);
    // A union (the agent types) offers every variant's keys and values.
    const agent = keysAt(["agent"]);
    expect(agent.find((key) => key.name === "type")?.values).toEqual(expect.arrayContaining(["http_api", "python", "openai"]));
    expect(agent.map((key) => key.name)).toEqual(expect.arrayContaining(["transport", "tools", "system_prompt"]));
    expect(keysAt(["agent", "tools", 0]).map((key) => key.name)).toEqual(expect.arrayContaining(["name", "description", "parameters"]));
    expect(keysAt(["student"]).find((key) => key.name === "tool_choice")?.values.length).toBeGreaterThan(0);
  });

  it("suggests the key a misspelling meant, and nothing for a word that is far from every key", () => {
    expect(closestKey("max_paralel_steps", keysAt(["orchestration"]).map((key) => key.name))).toBe("max_parallel_steps");
    expect(closestKey("foo", keysAt([]).map((key) => key.name))).toBeNull();
  });

  it("puts the suggestion in the validation message the CLI, the server and the editor show", () => {
    const result = parseConfigText(
      "agent:\n  type: http_api\n  name: demo\n  system_prompt: hi\n  transport:\n    base_url: http://localhost:8080/agent\n" +
        "teacher:\n  llm:\n    model: m\nrim:\n  small_model:\n    model: m\n  large_model:\n    model: m\norchestration:\n  max_paralel_steps: 2\n",
    );
    if (result.ok) throw new Error("accepted a misspelt key");
    expect(result.issues).toEqual([
      { path: "orchestration.max_paralel_steps", message: 'unknown key "max_paralel_steps" (did you mean "max_parallel_steps"?)', line: 16, column: 3 },
    ]);
  });
});
