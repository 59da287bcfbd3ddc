import { describe, expect, it } from "vitest";
import { AtlasError } from "@/lib/errors";
import { headerTemplateVariables, resolveHeaderTemplates } from "./env-refs";

describe("resolveHeaderTemplates", () => {
  it("replaces ${VAR} references and leaves other text alone", () => {
    const headers = { Authorization: "Bearer ${AGENT_TOKEN}", "X-Team": "${TEAM}-${REGION}", Accept: "application/json" };
    expect(resolveHeaderTemplates(headers, { AGENT_TOKEN: "s3cret", TEAM: "core", REGION: "eu" })).toEqual({
      Authorization: "Bearer s3cret",
      "X-Team": "core-eu",
      Accept: "application/json",
    });
  });

  it("does not treat $VAR or malformed references as templates", () => {
    expect(resolveHeaderTemplates({ A: "$HOME ${1X} ${}" }, {})).toEqual({ A: "$HOME ${1X} ${}" });
  });

  it("throws a missing_secret error naming the unset variable and header", () => {
    const call = () => resolveHeaderTemplates({ Authorization: "Bearer ${AGENT_TOKEN}" }, { OTHER: "x" });
    expect(call).toThrow(AtlasError);
    try {
      call();
    } catch (error) {
      expect((error as AtlasError).code).toBe("missing_secret");
      expect((error as AtlasError).message).toBe(
        'environment variable AGENT_TOKEN is not set (referenced by HTTP header "Authorization")',
      );
    }
  });

  it("treats an empty variable as missing", () => {
    expect(() => resolveHeaderTemplates({ Authorization: "Bearer ${AGENT_TOKEN}" }, { AGENT_TOKEN: "" })).toThrow(
      /AGENT_TOKEN is not set/,
    );
  });

  it("lists the referenced variables once each", () => {
    expect(headerTemplateVariables({ A: "${X} ${Y}", B: "${X}" })).toEqual(["X", "Y"]);
  });
});
