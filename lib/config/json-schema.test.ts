import { describe, expect, it } from "vitest";
import { atlasConfigJsonSchema } from "./json-schema";

type JsonSchema = { [key: string]: unknown };

describe("atlasConfigJsonSchema", () => {
  const schema = atlasConfigJsonSchema() as JsonSchema & {
    properties: Record<string, JsonSchema>;
    required: string[];
  };

  it("describes the root as a closed object with the required sections", () => {
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["agent", "teacher", "rim"]));
    expect(schema.required).not.toContain("student");
  });

  it("contains every agent variant of the discriminated union", () => {
    const variants = (schema.properties.agent?.oneOf ?? schema.properties.agent?.anyOf) as JsonSchema[];
    const types = variants.flatMap((variant) => {
      const type = (variant.properties as Record<string, JsonSchema>).type;
      return type?.const !== undefined ? [type.const] : ((type?.enum as unknown[]) ?? []);
    });
    expect(types.sort()).toEqual(["http_api", "litellm", "module", "openai", "python"]);
  });

  it("carries defaults and the descriptions of extensions", () => {
    const orchestration = schema.properties.orchestration as { properties: Record<string, JsonSchema> };
    expect(orchestration.properties.max_retries).toMatchObject({ default: 1, maximum: 5 });
    expect(String(orchestration.properties.retry_threshold?.description)).toMatch(/Atlas extension/);
  });

  it("presents the fields upstream ignored as what they now do", () => {
    const section = (name: string) => (schema.properties[name] as { properties: Record<string, JsonSchema> }).properties;
    expect(section("orchestration").emit_intermediate_steps).toMatchObject({ const: true });
    expect(String(section("orchestration").rim_guidance_tag?.description)).toMatch(/retry_threshold/);
    for (const field of ["max_plan_tokens", "max_step_tokens", "max_synthesis_tokens", "tool_choice"]) {
      expect(String(section("student")[field]?.description), field).toMatch(/openai\/litellm agents/);
    }
    for (const field of ["max_review_tokens", "validation_max_tokens", "guidance_max_tokens"]) {
      expect(String(section("teacher")[field]?.description), field).not.toBe("undefined");
    }
    const llm = section("teacher").llm as { properties: Record<string, JsonSchema> };
    // The key variable follows the provider: no fixed OPENAI_API_KEY default.
    expect(llm.properties.api_key_env).not.toHaveProperty("default");
    expect(String(llm.properties.api_key_env?.description)).toMatch(/GEMINI_API_KEY/);
  });

  it("is JSON-serialisable", () => {
    expect(() => JSON.stringify(schema)).not.toThrow();
  });
});
