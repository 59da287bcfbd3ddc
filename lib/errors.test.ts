import { describe, expect, it, vi } from "vitest";
import { AtlasError, formatIssue, isAtlasError } from "./errors";
import { errorResponse } from "./http/respond";

describe("AtlasError", () => {
  it("maps codes to HTTP statuses and round-trips through the response body", () => {
    const error = new AtlasError("invalid_config", "config is invalid", { issues: [{ path: "rim", message: "missing", line: 3, column: 1 }] });
    expect(error.status).toBe(400);
    const rebuilt = AtlasError.fromBody(error.toBody());
    expect(rebuilt).toMatchObject({ code: "invalid_config", message: "config is invalid", issues: error.issues });
    expect(AtlasError.fromBody({ nonsense: true }, 502)).toMatchObject({ code: "internal", message: "request failed with status 502" });
  });

  it("is recognised when thrown by another copy of this module (Next bundles module graphs separately)", async () => {
    vi.resetModules();
    const other = await import("./errors");
    expect(other.AtlasError).not.toBe(AtlasError);
    const foreign = new other.AtlasError("missing_secret", "environment variable OPENAI_API_KEY is not set");
    expect(foreign instanceof AtlasError).toBe(false);
    expect(isAtlasError(foreign)).toBe(true);
    const response = errorResponse(foreign);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "missing_secret", message: "environment variable OPENAI_API_KEY is not set" },
    });
  });

  it("does not mistake other errors for AtlasErrors, and hides their details behind a 500", async () => {
    expect(isAtlasError(new Error("x"))).toBe(false);
    expect(isAtlasError({ code: "not_found", message: "fake" })).toBe(false);
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = errorResponse(new TypeError("secret internals"));
    spy.mockRestore();
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("secret internals");
  });

  it("formats located issues like a compiler", () => {
    expect(formatIssue({ path: "teacher.llm.model", message: "missing", line: 8, column: 3 }, "a.yaml")).toBe(
      "a.yaml:8:3 teacher.llm.model: missing",
    );
    expect(formatIssue({ path: "", message: "invalid YAML: Missing closing \"quote", line: 15, column: 1 }, "a.yaml")).toBe(
      'a.yaml:15:1 invalid YAML: Missing closing "quote',
    );
  });
});
