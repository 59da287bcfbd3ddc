import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModuleAgentConfigSchema } from "@/lib/config";
import { rejection } from "@/lib/testing/rejection";
import { createModuleAdapter } from "./module";
import { invokeAdapter } from "./testing";
import type { AgentCallMetadata } from "./types";

const MJS_AGENTS = `
export default async function (prompt, metadata) {
  return "mjs:" + prompt + ":" + metadata.mode;
}

export function answer(prompt, metadata) {
  return { answer: prompt, metadata };
}

export function list() {
  return ["a", 1, null];
}

export function number() {
  return 42;
}

export function nothing() {}

export function reply() {
  return { text: "calling a tool", toolCalls: [{ id: "call-1", name: "calculator", arguments: { a: 1 } }] };
}

export function textWithExtras() {
  return { text: "not a reply", confidence: 0.9 };
}

export function badToolCalls() {
  return { text: "x", toolCalls: [{ name: "calculator" }] };
}

export function* syncPieces(prompt) {
  yield "one ";
  yield "two ";
  yield prompt;
}

export async function* asyncPieces() {
  yield "a";
  await new Promise((resolve) => setTimeout(resolve, 1));
  yield "b";
}

export function* numbers() {
  yield "fine";
  yield 2;
}

export async function* endless() {
  globalThis.__atlasEntered?.();
  try {
    for (;;) {
      yield ".";
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    globalThis.__atlasEndlessClosed = true;
    globalThis.__atlasClosed?.();
  }
}

export function ignoresSignal() {
  globalThis.__atlasEntered?.();
  return new Promise(() => {});
}

export function seesSignal(prompt, metadata, { signal }) {
  globalThis.__atlasEntered?.();
  return new Promise((resolve) => signal.addEventListener("abort", () => {
    globalThis.__atlasSignalSeen = true;
    resolve("too late");
  }));
}

function inner() {
  throw new Error("agent broke");
}

export function throws() {
  inner();
}

export const notAFunction = 42;
`;

const TS_AGENT = `
import type { AgentCallMetadata } from ${JSON.stringify(path.join(process.cwd(), "lib", "adapters", "types.ts"))};

interface Shout { text: string }

export default function agent(prompt: string, metadata: AgentCallMetadata): string {
  const shout: Shout = { text: prompt.toUpperCase() };
  return "ts:" + shout.text + ":" + ("mode" in metadata ? metadata.mode : "none");
}

export const named = async (prompt: string): Promise<string[]> => [prompt, prompt];
`;

let baseDir: string;

beforeAll(() => {
  baseDir = mkdtempSync(path.join(tmpdir(), "atlas-module-adapter-"));
  writeFileSync(path.join(baseDir, "agents.mjs"), MJS_AGENTS);
  writeFileSync(path.join(baseDir, "agent.ts"), TS_AGENT);
  writeFileSync(path.join(baseDir, "agent.mts"), TS_AGENT);
  writeFileSync(path.join(baseDir, "agent.cjs"), `module.exports = function (prompt) { return "cjs:" + prompt; };\n`);
  writeFileSync(path.join(baseDir, "broken.mjs"), `export default function ( {\n`);
});

afterAll(() => {
  rmSync(baseDir, { recursive: true, force: true });
});

function moduleAdapter(module: string, exportName?: string) {
  const config = ModuleAgentConfigSchema.parse({
    type: "module",
    name: "module-agent",
    system_prompt: "You are a test agent.",
    module,
    ...(exportName === undefined ? {} : { export: exportName }),
  });
  return createModuleAdapter(config, { env: process.env, baseDir });
}

describe("module adapter loading", () => {
  it("calls the default export of an .mjs module", async () => {
    await expect(invokeAdapter(moduleAdapter("agents.mjs"), "hi")).resolves.toEqual({ text: "mjs:hi:planning" });
  });

  it("calls the default and named exports of TypeScript modules (.ts and .mts)", async () => {
    for (const file of ["agent.ts", "agent.mts"]) {
      await expect(invokeAdapter(moduleAdapter(file), "hi", { metadata: { mode: "synthesis" } })).resolves.toEqual({
        text: "ts:HI:synthesis",
      });
      await expect(invokeAdapter(moduleAdapter(file, "named"), "x")).resolves.toEqual({ text: '["x","x"]' });
    }
  });

  it("calls a CommonJS module's exported function", async () => {
    await expect(invokeAdapter(moduleAdapter("agent.cjs"), "hi")).resolves.toEqual({ text: "cjs:hi" });
  });

  it("accepts an absolute module path", async () => {
    await expect(invokeAdapter(moduleAdapter(path.join(baseDir, "agents.mjs")), "abs")).resolves.toEqual({
      text: "mjs:abs:planning",
    });
  });

  it("reports a missing file with its resolved path", async () => {
    const error = await rejection(invokeAdapter(moduleAdapter("missing.mjs")));
    expect(error.code).toBe("invalid_config");
    expect(error.message).toBe(`agent module not found: ${path.join(baseDir, "missing.mjs")}`);
  });

  it("reports a missing export and lists what the module exports", async () => {
    const error = await rejection(invokeAdapter(moduleAdapter("agent.mts", "nope")));
    expect(error.code).toBe("invalid_config");
    expect(error.message).toContain("has no export named 'nope'");
    expect(error.message).toContain("default, named");
  });

  it("reports an export that is not a function", async () => {
    const error = await rejection(invokeAdapter(moduleAdapter("agents.mjs", "notAFunction")));
    expect(error.code).toBe("invalid_config");
    expect(error.message).toContain("export 'notAFunction' of module");
    expect(error.message).toContain("is not a function (it is a number)");
  });

  it("reports a module that fails to load", async () => {
    const error = await rejection(invokeAdapter(moduleAdapter("broken.mjs")));
    expect(error.code).toBe("adapter_error");
    expect(error.message).toContain("unable to import module");
    expect(error.message).toContain("broken.mjs");
  });
});

describe("module adapter results", () => {
  it("serialises objects and arrays as JSON and scalars with String()", async () => {
    const metadata: AgentCallMetadata = { tool: { name: "calculator", arguments: { a: 1 } } };
    await expect(invokeAdapter(moduleAdapter("agents.mjs", "answer"), "q", { metadata })).resolves.toEqual({
      text: JSON.stringify({ answer: "q", metadata }),
    });
    await expect(invokeAdapter(moduleAdapter("agents.mjs", "list"))).resolves.toEqual({ text: '["a",1,null]' });
    await expect(invokeAdapter(moduleAdapter("agents.mjs", "number"))).resolves.toEqual({ text: "42" });
    await expect(invokeAdapter(moduleAdapter("agents.mjs", "textWithExtras"))).resolves.toEqual({
      text: '{"text":"not a reply","confidence":0.9}',
    });
  });

  it("passes { text, toolCalls } through as the reply", async () => {
    await expect(invokeAdapter(moduleAdapter("agents.mjs", "reply"))).resolves.toEqual({
      text: "calling a tool",
      toolCalls: [{ id: "call-1", name: "calculator", arguments: { a: 1 } }],
    });
    const error = await rejection(invokeAdapter(moduleAdapter("agents.mjs", "badToolCalls")));
    expect(error.message).toContain("toolCalls");
  });

  it("concatenates sync and async iterables of strings", async () => {
    await expect(invokeAdapter(moduleAdapter("agents.mjs", "syncPieces"), "three")).resolves.toEqual({ text: "one two three" });
    await expect(invokeAdapter(moduleAdapter("agents.mjs", "asyncPieces"))).resolves.toEqual({ text: "ab" });
  });

  it("rejects iterables that yield something other than strings", async () => {
    const error = await rejection(invokeAdapter(moduleAdapter("agents.mjs", "numbers")));
    expect(error.message).toBe("module agent output must yield strings, but item 1 is a number");
  });

  it("rejects a function that returns nothing", async () => {
    const error = await rejection(invokeAdapter(moduleAdapter("agents.mjs", "nothing")));
    expect(error.message).toContain("module agent function returned undefined");
  });

  it("reports what the function threw, with its stack", async () => {
    const error = await rejection(invokeAdapter(moduleAdapter("agents.mjs", "throws")));
    expect(error.code).toBe("adapter_error");
    expect(error.message.split("\n")[0]).toBe("module agent function threw an error: agent broke");
    expect(error.message).toContain("at inner");
  });
});

/** Latches the agents above release: `__atlasEntered` once the function runs, `__atlasClosed` once the iterable closed. */
function agentLatch(name: "__atlasEntered" | "__atlasClosed"): Promise<void> {
  return new Promise((resolve) => {
    (globalThis as Record<string, unknown>)[name] = () => resolve();
  });
}

describe("module adapter cancellation", () => {
  it("rejects at once even when the function ignores its signal", async () => {
    const controller = new AbortController();
    const entered = agentLatch("__atlasEntered");
    const pending = invokeAdapter(moduleAdapter("agents.mjs", "ignoresSignal"), "p", { signal: controller.signal });
    await entered;
    controller.abort();
    expect((await rejection(pending)).code).toBe("cancelled");
  });

  it("hands the signal to the function", async () => {
    const globals = globalThis as { __atlasSignalSeen?: boolean };
    globals.__atlasSignalSeen = false;
    const controller = new AbortController();
    const entered = agentLatch("__atlasEntered");
    const pending = invokeAdapter(moduleAdapter("agents.mjs", "seesSignal"), "p", { signal: controller.signal });
    await entered;
    controller.abort();
    expect((await rejection(pending)).code).toBe("cancelled");
    expect(globals.__atlasSignalSeen).toBe(true);
  });

  it("stops consuming an endless async iterable and closes it", async () => {
    const globals = globalThis as { __atlasEndlessClosed?: boolean };
    globals.__atlasEndlessClosed = false;
    const controller = new AbortController();
    const entered = agentLatch("__atlasEntered");
    const closed = agentLatch("__atlasClosed");
    const pending = invokeAdapter(moduleAdapter("agents.mjs", "endless"), "p", { signal: controller.signal });
    await entered;
    controller.abort();
    expect((await rejection(pending)).code).toBe("cancelled");
    await closed;
    expect(globals.__atlasEndlessClosed).toBe(true);
  });

  it("does not load or call anything when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(invokeAdapter(moduleAdapter("missing.mjs"), "p", { signal: controller.signal }));
    expect(error.code).toBe("cancelled");
  });
});
