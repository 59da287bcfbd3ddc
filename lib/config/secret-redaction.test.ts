import { describe, expect, it } from "vitest";
import { AtlasError } from "@/lib/errors";
import { headerSecrets, redactError, redactValue, secretsOf, withRedaction } from "./secret-redaction";

const env = { KEY: "sk-live-abcdef123456", SHORT: "abc", TOKEN: "tok-987654321", LONGER: "sk-live-abcdef123456-extra" };

describe("secret redaction", () => {
  it("redacts every set variable's value, longest first, and ignores values too short to be secrets", () => {
    const secrets = secretsOf(["KEY", "SHORT", "UNSET", null, "LONGER"], env);
    expect(secrets.map((secret) => secret.variable)).toEqual(["LONGER", "KEY"]);
    expect(redactValue("a sk-live-abcdef123456-extra b sk-live-abcdef123456 abc", secrets)).toBe("a [redacted LONGER] b [redacted KEY] abc");
  });

  it("walks replies and keeps their shape; errors keep their code", async () => {
    const secrets = headerSecrets({ authorization: "Bearer ${TOKEN}", x: "plain" }, env);
    expect(redactValue({ text: "tok-987654321", toolCalls: [{ arguments: { echo: "x tok-987654321" } }], n: 3 }, secrets)).toEqual({
      text: "[redacted TOKEN]",
      toolCalls: [{ arguments: { echo: "x [redacted TOKEN]" } }],
      n: 3,
    });
    const error = redactError(new AtlasError("llm_error", "denied tok-987654321", { issues: [{ path: "a", message: "tok-987654321" }] }), secrets) as AtlasError;
    expect(error.toBody()).toEqual({ error: { code: "llm_error", message: "denied [redacted TOKEN]", issues: [{ path: "a", message: "[redacted TOKEN]" }] } });
    await expect(withRedaction(secrets, async () => Promise.reject(new Error("echo tok-987654321")))).rejects.toThrow("echo [redacted TOKEN]");
  });
});
