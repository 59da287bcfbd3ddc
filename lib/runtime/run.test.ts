import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AtlasError } from "@/lib/errors";
import type { TrajectoryEvent } from "./events";
import { run } from "./run";
import type { SessionStore } from "./store";
import { functionAgent } from "./testing/agents";
import { TEST_ENV, testConfig } from "./testing/config";

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "atlas-run-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("run() input", () => {
  it("rejects an empty task before creating anything", async () => {
    await expect(run({ task: "  ", config: testConfig({ llmUrl: "http://127.0.0.1:9/v1" }), store: null })).rejects.toMatchObject({
      code: "invalid_input",
      message: "task must be a non-empty string",
    });
  });

  it("rejects an invalid config file with its issues and positions", async () => {
    const file = path.join(scratch, "bad.yaml");
    await writeFile(file, "agent:\n  type: telepathy\n");
    const error = await run({ task: "t", configPath: file, store: null }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AtlasError);
    expect(error).toMatchObject({ code: "invalid_config" });
    expect((error as AtlasError).issues?.length).toBeGreaterThan(0);
    const message = (error as AtlasError).message;
    expect(message.startsWith(`invalid configuration ${file}:\n`)).toBe(true);
    expect(message).toContain(`\n${file}:2:9 agent.type: type must be one of`);
  });

  it("names a missing config file", async () => {
    await expect(run({ task: "t", configPath: path.join(scratch, "nope.yaml"), store: null })).rejects.toThrow(
      /configuration file not found/,
    );
  });
});

describe("run() failures after the session started", () => {
  it("records a failed session (not a rejection) when the store fails mid-run and reports why", async () => {
    let writes = 0;
    const store: SessionStore = {
      createSession: async () => ({ id: 41 }),
      lastSeq: async () => 0,
      write: async () => {
        writes += 1;
        if (writes > 1) throw new Error("database went away");
      },
    };
    const events: TrajectoryEvent[] = [];
    const result = await run({
      task: "t",
      config: testConfig({ llmUrl: "http://127.0.0.1:9/v1" }),
      store,
      env: TEST_ENV,
      adapter: functionAgent(() => '{"steps": [{"id": 1, "description": "x"}]}'),
      onEvent: (event) => events.push(event),
    });
    expect(result).toMatchObject({ sessionId: 41, status: "failed" });
    expect(result.error).toMatch(/could not store event 2 \(plan\.drafted\) of session 41: database went away/);
    expect(events.map((event) => event.type)).toEqual(["session.started"]);
  });

  it("fails the session with missing_secret when a key variable is not set", async () => {
    const agent = functionAgent(() => '{"steps": [{"id": 1, "description": "x"}]}');
    const events: TrajectoryEvent[] = [];
    const result = await run({
      task: "t",
      config: testConfig({ llmUrl: "http://127.0.0.1:9/v1" }),
      store: null,
      env: {} as NodeJS.ProcessEnv,
      adapter: agent,
      onEvent: (event) => events.push(event),
    });
    expect(result.status).toBe("failed");
    expect(result.error).toBe(
      "Teacher plan review call failed: environment variable ATLAS_TEST_LLM_KEY is not set (needed by teacher.llm)",
    );
    expect(events.map((event) => event.type)).toEqual(["session.started", "plan.drafted", "error", "session.failed"]);
  });
});
