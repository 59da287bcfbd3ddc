import { describe, expect, it } from "vitest";
import { decideAccess } from "./access-token";

const request = (url: string, extra: { authorization?: string; cookie?: string } = {}) => ({
  url,
  authorization: extra.authorization ?? null,
  cookieToken: extra.cookie,
});

describe("decideAccess", () => {
  it("allows everything when no token is configured", () => {
    expect(decideAccess(request("http://h/sessions"), undefined)).toEqual({ kind: "allow" });
  });

  it("requires the token from a header, a cookie or the query string", () => {
    expect(decideAccess(request("http://h/sessions"), "s3cret")).toEqual({ kind: "deny" });
    expect(decideAccess(request("http://h/sessions", { authorization: "Bearer s3cret" }), "s3cret")).toEqual({ kind: "allow" });
    expect(decideAccess(request("http://h/sessions", { authorization: "Bearer s3cre" }), "s3cret")).toEqual({ kind: "deny" });
    expect(decideAccess(request("http://h/api/runs", { cookie: "s3cret" }), "s3cret")).toEqual({ kind: "allow" });
    expect(decideAccess(request("http://h/sessions?token=s3cret&a=1"), "s3cret")).toEqual({
      kind: "remember",
      cleanUrl: "http://h/sessions?a=1",
    });
    expect(decideAccess(request("http://h/sessions?token=nope"), "s3cret")).toEqual({ kind: "deny" });
  });

  it("keeps the health check open for monitoring", () => {
    expect(decideAccess(request("http://h/api/health"), "s3cret")).toEqual({ kind: "allow" });
  });
});
