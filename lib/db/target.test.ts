import path from "node:path";
import { describe, expect, it } from "vitest";
import { redactUrl, resolveDatabaseTarget } from "./target";

describe("resolveDatabaseTarget", () => {
  it("uses embedded PGlite in .atlas/pgdata when DATABASE_URL is unset", () => {
    expect(resolveDatabaseTarget({})).toEqual({ driver: "pglite", dataDir: path.resolve(".atlas/pgdata") });
  });

  it("honours ATLAS_DATA_DIR", () => {
    expect(resolveDatabaseTarget({ ATLAS_DATA_DIR: "/tmp/x" })).toEqual({ driver: "pglite", dataDir: "/tmp/x" });
  });

  it("uses node-postgres for postgres:// URLs", () => {
    expect(resolveDatabaseTarget({ DATABASE_URL: "postgres://u:p@db:5432/a" }).driver).toBe("postgres");
    expect(resolveDatabaseTarget({ DATABASE_URL: "postgresql://db/a" }).driver).toBe("postgres");
  });

  it("uses Neon for a Neon host or when forced", () => {
    expect(resolveDatabaseTarget({ DATABASE_URL: "postgres://u:p@ep-x.eu-central-1.aws.neon.tech/db" }).driver).toBe(
      "neon",
    );
    expect(resolveDatabaseTarget({ DATABASE_URL: "postgres://db/a", ATLAS_DB_DRIVER: "neon" }).driver).toBe("neon");
  });

  it("rejects other schemes and unknown drivers with a clear message", () => {
    expect(() => resolveDatabaseTarget({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must start with postgres/);
    expect(() => resolveDatabaseTarget({ ATLAS_DB_DRIVER: "sqlite" })).toThrow(/ATLAS_DB_DRIVER must be/);
  });

  it("never shows a password", () => {
    expect(redactUrl("postgres://user:secret@host/db")).toBe("postgres://user:***@host/db");
  });
});
