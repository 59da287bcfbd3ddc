import { describe, expect, it } from "vitest";
import { parseConfigText } from "@/lib/config";
import { isAtlasError } from "@/lib/errors";
import { assertApiKeysPresent, missingApiKeys } from "./secrets";

function config(overrides: { teacher?: string; small?: string; large?: string; agent?: string }) {
  const llm = (extra = "") => `{provider: openai, model: m${extra}}`;
  const text = `
agent:
  ${overrides.agent ?? `type: openai\n  name: a\n  system_prompt: s\n  llm: ${llm()}`}
teacher:
  llm: ${overrides.teacher ?? llm()}
rim:
  small_model: ${overrides.small ?? llm()}
  large_model: ${overrides.large ?? llm()}
`;
  const parsed = parseConfigText(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

describe("API key check", () => {
  it("lists each unset variable with every config path that needs it", () => {
    const mixed = config({ large: "{provider: openai, model: big, api_key_env: LARGE_KEY}" });
    expect(missingApiKeys(mixed, {})).toEqual([
      { variable: "OPENAI_API_KEY", neededBy: ["teacher.llm", "rim.small_model", "agent.llm"] },
      { variable: "LARGE_KEY", neededBy: ["rim.large_model"] },
    ]);
    expect(missingApiKeys(mixed, { OPENAI_API_KEY: "k" })).toEqual([{ variable: "LARGE_KEY", neededBy: ["rim.large_model"] }]);
    // An empty value is as good as unset.
    expect(missingApiKeys(mixed, { OPENAI_API_KEY: "", LARGE_KEY: "k" })[0]?.variable).toBe("OPENAI_API_KEY");
    expect(missingApiKeys(mixed, { OPENAI_API_KEY: "k", LARGE_KEY: "k" })).toEqual([]);
  });

  it("skips null keys, the built-in demo model and agents that have no llm", () => {
    const keyless = config({
      teacher: "{model: t, api_key_env: null, api_base: 'http://127.0.0.1:1/v1'}",
      small: "{model: s, api_base: 'builtin:demo'}",
      large: "{model: l, api_base: 'builtin:demo'}",
      agent: "type: http_api\n  name: h\n  system_prompt: s\n  transport: {base_url: 'http://127.0.0.1:1/x'}",
    });
    expect(missingApiKeys(keyless, {})).toEqual([]);
  });

  it("throws missing_secret with the message the API returns", () => {
    try {
      assertApiKeysPresent(config({}), {});
      expect.unreachable();
    } catch (error) {
      expect(isAtlasError(error) && [error.code, error.status, error.message]).toEqual([
        "missing_secret",
        400,
        "environment variable OPENAI_API_KEY is not set (needed by teacher.llm, rim.small_model, rim.large_model, agent.llm)",
      ]);
    }
  });
});
