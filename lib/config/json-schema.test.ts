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

  it("is JSON-serialisable", () => {
    expect(() => JSON.stringify(schema)).not.toThrow();
  });
});
