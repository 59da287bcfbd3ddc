import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AtlasError } from "@/lib/errors";
import { runTask } from "./run-task";
import { testConfig } from "@/lib/runtime/testing/config";

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "atlas-run-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("runTask() input", () => {
  it("rejects an empty task before creating anything", async () => {
    await expect(runTask({ task: "  ", config: testConfig({ llmUrl: "http://127.0.0.1:9/v1" }), store: "none" })).rejects.toMatchObject({
      code: "invalid_input",
      message: "task must be a non-empty string",
    });
  });

  it("rejects an invalid config file with its issues and positions", async () => {
    const file = path.join(scratch, "bad.yaml");
    await writeFile(file, "agent:\n  type: telepathy\n");
    const error = await runTask({ task: "t", configPath: file, store: "none" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AtlasError);
    expect(error).toMatchObject({ code: "invalid_config" });
    expect((error as AtlasError).issues?.length).toBeGreaterThan(0);
    const message = (error as AtlasError).message;
    expect(message.startsWith(`invalid configuration ${file}:\n`)).toBe(true);
    expect(message).toContain(`\n${file}:2:9 agent.type: type must be one of`);
  });

  it("names a missing config file", async () => {
    await expect(runTask({ task: "t", configPath: path.join(scratch, "nope.yaml"), store: "none" })).rejects.toThrow(
      /configuration file not found/,
    );
  });
});
