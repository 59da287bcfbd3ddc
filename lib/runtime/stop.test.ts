import { describe, expect, it } from "vitest";
import { AtlasError } from "@/lib/errors";
import { cancelRun, shutdownRun, stopOf } from "./stop";

describe("stopOf", () => {
  it("reads the typed stop reasons", () => {
    expect(stopOf(cancelRun("cancelled by request"))).toEqual({ kind: "cancel", reason: "cancelled by request" });
    expect(stopOf(shutdownRun("the server stopped"))).toEqual({ kind: "shutdown", reason: "the server stopped" });
  });

  it("recognises a stop reason made by another copy of the module (by shape, not class)", () => {
    const foreign = Object.assign(new AtlasError("cancelled", "server going down"), { stopKind: "shutdown" });
    expect(stopOf(foreign)).toEqual({ kind: "shutdown", reason: "server going down" });
  });

  it("treats any other abort reason as a cancel", () => {
    expect(stopOf("stop now")).toEqual({ kind: "cancel", reason: "stop now" });
    expect(stopOf(new AtlasError("cancelled", "cancelled by request"))).toEqual({ kind: "cancel", reason: "cancelled by request" });
    expect(stopOf(new DOMException("This operation was aborted", "AbortError"))).toEqual({ kind: "cancel", reason: "the run was cancelled" });
    expect(stopOf(undefined)).toEqual({ kind: "cancel", reason: "the run was cancelled" });
  });
});
