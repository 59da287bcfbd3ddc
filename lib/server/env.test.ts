import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AtlasError } from "@/lib/errors";
import { ENV_VARIABLES, parseEnv, readEnv, type EnvName } from "./env";

describe("readEnv", () => {
  it("applies the defaults when a variable is unset or blank", () => {
    expect(readEnv("ATLAS_DATA_DIR", {})).toBe(".atlas/pgdata");
    expect(readEnv("ATLAS_DATA_DIR", { ATLAS_DATA_DIR: "  " })).toBe(".atlas/pgdata");
    expect(readEnv("HOST", {})).toBe("127.0.0.1");
    expect(readEnv("PORT", {})).toBe(3000);
    expect(readEnv("ATLAS_MAX_CONCURRENT_RUNS", {})).toBe(2);
    expect(readEnv("ATLAS_PYTHON", { ATLAS_PYTHON: "" })).toBe("python3");
    expect(readEnv("DATABASE_URL", { DATABASE_URL: "" })).toBeUndefined();
    expect(readEnv("ATLAS_TOKEN", { ATLAS_TOKEN: "" })).toBeUndefined();
    expect(readEnv("ATLAS_DEBUG", {})).toBe(false);
    expect(readEnv("ATLAS_NO_SIGNAL_HANDLERS", {})).toBe(false);
  });

  it("parses set values", () => {
    expect(readEnv("ATLAS_DATA_DIR", { ATLAS_DATA_DIR: " /srv/atlas " })).toBe("/srv/atlas");
    expect(readEnv("PORT", { PORT: "8080" })).toBe(8080);
    expect(readEnv("ATLAS_MAX_CONCURRENT_RUNS", { ATLAS_MAX_CONCURRENT_RUNS: "4" })).toBe(4);
    expect(readEnv("ATLAS_DB_DRIVER", { ATLAS_DB_DRIVER: " Neon " })).toBe("neon");
    expect(readEnv("ATLAS_DEBUG", { ATLAS_DEBUG: "yes" })).toBe(true);
    expect(readEnv("ATLAS_NO_SIGNAL_HANDLERS", { ATLAS_NO_SIGNAL_HANDLERS: "1" })).toBe(true);
    expect(readEnv("ATLAS_TOKEN", { ATLAS_TOKEN: " s3cret" })).toBe(" s3cret");
  });

  it("rejects a wrong value with an AtlasError that names the variable", () => {
    const wrong: [EnvName, string, string][] = [
      ["PORT", "http", 'PORT must be a port number from 1 to 65535, got "http"'],
      ["PORT", "70000", 'PORT must be a port number from 1 to 65535, got "70000"'],
      ["ATLAS_MAX_CONCURRENT_RUNS", "0", 'ATLAS_MAX_CONCURRENT_RUNS must be a positive integer, got "0"'],
      ["ATLAS_MAX_CONCURRENT_RUNS", "1.5", 'ATLAS_MAX_CONCURRENT_RUNS must be a positive integer, got "1.5"'],
      ["ATLAS_DB_DRIVER", "sqlite", 'ATLAS_DB_DRIVER must be pglite, postgres or neon (got "sqlite")'],
    ];
    for (const [name, value, message] of wrong) {
      const attempt = () => readEnv(name, { [name]: value });
      expect(attempt).toThrow(AtlasError);
      expect(attempt).toThrow(message);
    }
  });

  it("reads the process environment when given none", () => {
    const previous = process.env.ATLAS_CONFIGS_DIR;
    process.env.ATLAS_CONFIGS_DIR = "/elsewhere";
    try {
      expect(readEnv("ATLAS_CONFIGS_DIR")).toBe("/elsewhere");
    } finally {
      if (previous === undefined) delete process.env.ATLAS_CONFIGS_DIR;
      else process.env.ATLAS_CONFIGS_DIR = previous;
    }
  });
});

describe("parseEnv", () => {
  it("returns every variable, defaults included", () => {
    const env = parseEnv({ PORT: "4000", UNRELATED: "x" });
    expect(Object.keys(env).sort()).toEqual(Object.keys(ENV_VARIABLES).sort());
    expect(env).toMatchObject({ PORT: 4000, HOST: "127.0.0.1", ATLAS_DATA_DIR: ".atlas/pgdata", DATABASE_URL: undefined });
  });

  it("reports every wrong variable at once, each as an issue", () => {
    let caught: unknown;
    try {
      parseEnv({ PORT: "0", ATLAS_MAX_CONCURRENT_RUNS: "many", ATLAS_DB_DRIVER: "mysql" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AtlasError);
    expect((caught as AtlasError).code).toBe("invalid_input");
    expect((caught as AtlasError).issues?.map((issue) => issue.path).sort()).toEqual(["ATLAS_DB_DRIVER", "ATLAS_MAX_CONCURRENT_RUNS", "PORT"]);
  });
});

describe("the README's Environment table", () => {
  it("lists exactly the variables this module defines", () => {
    const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
    const section = readme.split(/^## Environment$/m)[1]?.split(/^## /m)[0] ?? "";
    const firstCells = section
      .split("\n")
      .filter((line) => line.startsWith("|") && !/^\|\s*(variable|-+)\s*\|/.test(line))
      .map((line) => line.split("|")[1] ?? "");
    expect(firstCells.length).toBeGreaterThan(0);
    const documented = firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]));
    expect([...documented].sort()).toEqual(Object.keys(ENV_VARIABLES).sort());
  });

  it("has a description and a default for every variable", () => {
    for (const [name, definition] of Object.entries(ENV_VARIABLES)) {
      expect(definition.description, name).not.toBe("");
      expect(definition.default, name).not.toBe("");
    }
  });
});
