import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PythonAgentConfigSchema } from "@/lib/config";
import { rejection } from "@/lib/testing/rejection";
import { createPythonAdapter, type PythonAgentAdapter } from "./python";
import { invokeAdapter } from "./testing";
import type { AgentCallMetadata } from "./types";

const SYNC_AGENT = `
import json, os, sys, threading, time

def main(prompt, metadata):
    return "sync:" + prompt + ":" + json.dumps(metadata, sort_keys=True)

def echo_metadata(prompt, metadata):
    return metadata

def returns_list(prompt, metadata):
    return [1, "two", None]

def returns_bytes(prompt, metadata):
    return "h\\u00e9llo".encode("utf-8")

def returns_none(prompt, metadata):
    return None

def returns_number(prompt, metadata):
    return 42

def noisy(prompt, metadata):
    print("printed by the agent")
    os.write(1, b"written to fd 1\\n")
    os.system("echo from a subprocess")
    return "clean:" + repr(sys.stdin.read())

def whoami(prompt, metadata):
    return str(os.getpid())

def announce_then_sleep(prompt, metadata):
    # The prompt names a file whose appearance tells the test that the call is running in Python.
    with open(prompt, "w") as marker:
        marker.write(str(os.getpid()))
    time.sleep(60)
    return "woke up"

_sleepers = set()
_sleepers_lock = threading.Lock()

def sleep_until_both_inside(prompt, metadata):
    # Blocks in time.sleep (as a slow agent does) until the other call is inside too.
    with _sleepers_lock:
        _sleepers.add(prompt)
    while True:
        with _sleepers_lock:
            if len(_sleepers) >= 2:
                return "overlapped " + prompt
        time.sleep(0.01)

_barrier = threading.Barrier(2, timeout=20)

def rendezvous(prompt, metadata):
    # Both calls must be inside the function at the same time, or the barrier breaks.
    _barrier.wait()
    return "met " + prompt

def _validate(value):
    raise ValueError("bad input: " + value)

def raises(prompt, metadata):
    _validate(prompt)

def generator(prompt, metadata):
    yield "a"
    yield 1
    yield "c"

async def async_generator(prompt, metadata):
    yield "x"
    yield "y"

def crash(prompt, metadata):
    print("about to crash", flush=True)
    os._exit(3)

NOT_CALLABLE = 42
`;

const ASYNC_AGENT = `
import asyncio

async def main(prompt, metadata):
    await asyncio.sleep(0)
    return {"echo": prompt, "mode": metadata.get("mode")}

_barrier = None

async def rendezvous(prompt, metadata):
    global _barrier
    if _barrier is None:
        _barrier = asyncio.Barrier(2)
    await asyncio.wait_for(_barrier.wait(), 20)
    return "met " + prompt

async def raises(prompt, metadata):
    raise RuntimeError("async failure")
`;

const BROKEN_AGENT = `
def helper():
    raise RuntimeError("cannot load this agent")

helper()
`;

const SERVER_ONLY_HOOKS = path.join(process.cwd(), "lib", "server", "server-only-hooks.mjs");
let baseDir: string;
const adapters: PythonAgentAdapter[] = [];

beforeAll(() => {
  baseDir = mkdtempSync(path.join(tmpdir(), "atlas-python-adapter-"));
  mkdirSync(path.join(baseDir, "agents"));
  writeFileSync(path.join(baseDir, "agents", "sync_agent.py"), SYNC_AGENT);
  writeFileSync(path.join(baseDir, "agents", "async_agent.py"), ASYNC_AGENT);
  writeFileSync(path.join(baseDir, "agents", "broken_agent.py"), BROKEN_AGENT);
  writeFileSync(path.join(baseDir, "top_level_agent.py"), `def main(prompt, metadata):\n    return "top " + prompt\n`);
});

afterEach(async () => {
  await Promise.all(adapters.splice(0).map((adapter) => adapter.close()));
});

afterAll(() => {
  rmSync(baseDir, { recursive: true, force: true });
});

function pythonAdapter(fields: Record<string, unknown>, env: Record<string, string> = {}): PythonAgentAdapter {
  const config = PythonAgentConfigSchema.parse({
    type: "python",
    name: "python-agent",
    system_prompt: "You are a test agent.",
    import_path: "sync_agent",
    working_directory: "agents",
    ...fields,
  });
  const adapter = createPythonAdapter(config, { env: { ...process.env, ...env }, baseDir });
  adapters.push(adapter);
  return adapter;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the process is gone (reaped); a process that never goes fails the test by its timeout. */
async function waitUntilGone(pid: number): Promise<void> {
  while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
}

let markerCount = 0;

/** A fresh marker path, and a way to wait until the Python side has written it. */
function runningMarker(): { path: string; written(): Promise<void> } {
  markerCount += 1;
  const markerPath = path.join(baseDir, `running-${markerCount}.marker`);
  return {
    path: markerPath,
    async written() {
      while (!existsSync(markerPath)) await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}

describe("python adapter results", () => {
  it("calls a sync function with keyword arguments and returns its string", async () => {
    const adapter = pythonAdapter({});
    expect(adapter.workerPid).toBeNull();
    await expect(invokeAdapter(adapter, "hello")).resolves.toEqual({ text: 'sync:hello:{"mode": "planning"}' });
    expect(adapter.workerPid).toEqual(expect.any(Number));
  });

  it("normalises dicts and lists to JSON, bytes to UTF-8 and other values with str()", async () => {
    const results = await Promise.all(
      ["echo_metadata", "returns_list", "returns_bytes", "returns_none", "returns_number"].map((attribute) =>
        invokeAdapter(pythonAdapter({ attribute }), "p", { metadata: { mode: "synthesis" } }),
      ),
    );
    expect(results.map((reply) => reply.text)).toEqual([
      '{"mode": "synthesis"}',
      '[1, "two", null]',
      "héllo",
      "None",
      "42",
    ]);
  });

  it("passes structured metadata through unchanged", async () => {
    const metadata: AgentCallMetadata = { tool: { name: "calculator", arguments: { a: 1, nested: [true, null] } } };
    const reply = await invokeAdapter(pythonAdapter({ attribute: "echo_metadata" }), "{}", { metadata });
    expect(JSON.parse(reply.text)).toEqual(metadata);
  });

  it("awaits coroutine functions", async () => {
    const reply = await invokeAdapter(pythonAdapter({ import_path: "async_agent" }), "hi", { metadata: { mode: "synthesis" } });
    expect(JSON.parse(reply.text)).toEqual({ echo: "hi", mode: "synthesis" });
  });

  it("concatenates generator and async generator items when allow_generator is set", async () => {
    const generator = pythonAdapter({ attribute: "generator", allow_generator: true });
    const asyncGenerator = pythonAdapter({ attribute: "async_generator", allow_generator: true });
    await expect(invokeAdapter(generator, "p")).resolves.toEqual({ text: "a1c" });
    await expect(invokeAdapter(asyncGenerator, "p")).resolves.toEqual({ text: "xy" });
  });

  it("rejects generator outputs when allow_generator is off", async () => {
    for (const attribute of ["generator", "async_generator"]) {
      const error = await rejection(invokeAdapter(pythonAdapter({ attribute }), "p"));
      expect(error.code).toBe("adapter_error");
      expect(error.message).toBe("generator outputs are disabled for this adapter");
    }
  });

  it("keeps print(), fd 1 writes, subprocess output and stdin reads away from the protocol", async () => {
    const adapter = pythonAdapter({ attribute: "noisy" });
    await expect(invokeAdapter(adapter, "p")).resolves.toEqual({ text: "clean:''" });
    await expect(invokeAdapter(adapter, "p")).resolves.toEqual({ text: "clean:''" });
  });

  it("imports from the config folder when no working_directory is set", async () => {
    const adapter = pythonAdapter({ import_path: "top_level_agent", working_directory: null });
    await expect(invokeAdapter(adapter, "x")).resolves.toEqual({ text: "top x" });
  });
});

describe("python adapter llm_config", () => {
  it("adds the llm config as written, without the secret value, and leaves the caller's metadata alone", async () => {
    const llm = { provider: "openai", model: "gpt-4o-mini", api_key_env: "AGENT_SECRET_KEY", temperature: 0.3 };
    const adapter = pythonAdapter({ attribute: "echo_metadata", llm }, { AGENT_SECRET_KEY: "sk-very-secret-value" });
    const metadata: AgentCallMetadata = { mode: "planning" };
    const reply = await invokeAdapter(adapter, "p", { metadata });
    const received = JSON.parse(reply.text) as { mode: string; llm_config: Record<string, unknown> };
    expect(received.mode).toBe("planning");
    expect(received.llm_config).toMatchObject(llm);
    expect(received.llm_config).toHaveProperty("timeout_seconds", 60);
    expect(reply.text).not.toContain("sk-very-secret-value");
    expect(metadata).toEqual({ mode: "planning" });
  });
});

describe("python adapter errors", () => {
  it("reports exceptions with the message and the Python traceback", async () => {
    const error = await rejection(invokeAdapter(pythonAdapter({ attribute: "raises" }), "42"));
    expect(error.code).toBe("adapter_error");
    expect(error.message.split("\n")[0]).toBe("python adapter callable raised an exception: bad input: 42");
    expect(error.message).toContain("Traceback (most recent call last):");
    expect(error.message).toContain("in _validate");
    expect(error.message).toContain("ValueError: bad input: 42");
  });

  it("names coroutines in their exception messages, like upstream", async () => {
    const error = await rejection(invokeAdapter(pythonAdapter({ import_path: "async_agent", attribute: "raises" }), "p"));
    expect(error.message.split("\n")[0]).toBe("python adapter coroutine raised an exception: async failure");
    expect(error.message).toContain("RuntimeError: async failure");
  });

  it("keeps serving after a call raised", async () => {
    const adapter = pythonAdapter({ attribute: "raises" });
    await rejection(invokeAdapter(adapter, "1"));
    const pid = adapter.workerPid;
    await rejection(invokeAdapter(adapter, "2"));
    expect(adapter.workerPid).toBe(pid);
  });

  it("reports a module that cannot be found", async () => {
    const error = await rejection(invokeAdapter(pythonAdapter({ import_path: "no_such_agent" }), "p"));
    expect(error.message.split("\n")[0]).toBe(
      "unable to import module 'no_such_agent': ModuleNotFoundError: No module named 'no_such_agent'",
    );
  });

  it("reports a module that fails while loading, with its traceback", async () => {
    const error = await rejection(invokeAdapter(pythonAdapter({ import_path: "broken_agent" }), "p"));
    expect(error.message.split("\n")[0]).toBe(
      "unable to import module 'broken_agent': RuntimeError: cannot load this agent",
    );
    expect(error.message).toContain("in helper");
  });

  it("reports a missing or non-callable attribute", async () => {
    const missing = await rejection(invokeAdapter(pythonAdapter({ attribute: "nope" }), "p"));
    expect(missing.message).toBe("attribute 'nope' not found in module 'sync_agent'");
    const notCallable = await rejection(invokeAdapter(pythonAdapter({ attribute: "NOT_CALLABLE" }), "p"));
    expect(notCallable.message).toBe("attribute 'NOT_CALLABLE' is not callable");
  });

  it("rejects pending calls with the exit code and the stderr tail when the worker dies", async () => {
    const adapter = pythonAdapter({ attribute: "crash" });
    const error = await rejection(invokeAdapter(adapter, "p"));
    expect(error.code).toBe("adapter_error");
    expect(error.message).toContain("python worker exited unexpectedly (exit code 3)");
    expect(error.message).toContain("about to crash");
  });

  it("starts a new worker after a crash", async () => {
    const adapter = pythonAdapter({ attribute: "crash" });
    await rejection(invokeAdapter(adapter, "p"));
    const second = await rejection(invokeAdapter(adapter, "p"));
    expect(second.message).toContain("exit code 3");
  });

  it("reports an interpreter that cannot be started", async () => {
    const adapter = pythonAdapter({}, { ATLAS_PYTHON: path.join(baseDir, "no-python-here") });
    const error = await rejection(invokeAdapter(adapter, "p"));
    expect(error.message).toContain("unable to start the python interpreter");
    expect(error.message).toContain("ATLAS_PYTHON");
  });
});

describe("python adapter concurrency and lifecycle", () => {
  it("runs sync calls concurrently in one worker", async () => {
    const adapter = pythonAdapter({ attribute: "rendezvous" });
    const replies = await Promise.all([invokeAdapter(adapter, "one"), invokeAdapter(adapter, "two")]);
    expect(replies.map((reply) => reply.text)).toEqual(["met one", "met two"]);
  });

  it("runs coroutine calls concurrently in one worker", async () => {
    const adapter = pythonAdapter({ import_path: "async_agent", attribute: "rendezvous" });
    const replies = await Promise.all([invokeAdapter(adapter, "one"), invokeAdapter(adapter, "two")]);
    expect(replies.map((reply) => reply.text)).toEqual(["met one", "met two"]);
  });

  it("overlaps two slow calls: the second runs while the first still sleeps", async () => {
    // One after the other, the first call would sleep forever waiting for the second.
    const adapter = pythonAdapter({ attribute: "sleep_until_both_inside" });
    const replies = await Promise.all([invokeAdapter(adapter, "one"), invokeAdapter(adapter, "two")]);
    expect(replies.map((reply) => reply.text)).toEqual(["overlapped one", "overlapped two"]);
  });

  it("uses one worker for every call of the adapter", async () => {
    const adapter = pythonAdapter({ attribute: "whoami" });
    const pids = await Promise.all([invokeAdapter(adapter, "a"), invokeAdapter(adapter, "b"), invokeAdapter(adapter, "c")]);
    expect(new Set(pids.map((reply) => reply.text)).size).toBe(1);
    expect(Number(pids[0]?.text)).toBe(adapter.workerPid);
  });

  it("cancels at once, kills the worker and starts a fresh one for the next call", async () => {
    const adapter = pythonAdapter({ attribute: "announce_then_sleep" });
    const controller = new AbortController();
    const marker = runningMarker();
    const running = invokeAdapter(adapter, marker.path, { signal: controller.signal });
    await marker.written();
    const firstPid = adapter.workerPid!;
    controller.abort();
    const error = await rejection(running);
    expect(error.code).toBe("cancelled");
    expect(adapter.workerPid).toBeNull();
    await waitUntilGone(firstPid);
    const nextMarker = runningMarker();
    const next = invokeAdapter(adapter, nextMarker.path);
    await nextMarker.written();
    expect(adapter.workerPid).not.toBe(firstPid);
    expect(adapter.workerPid).toEqual(expect.any(Number));
    const nextRejection = rejection(next);
    await adapter.close();
    expect((await nextRejection).message).toContain("closed while the call was running");
  });

  it("fails the other calls running in a worker killed by a cancellation", async () => {
    const adapter = pythonAdapter({ attribute: "announce_then_sleep" });
    const controller = new AbortController();
    const cancelledMarker = runningMarker();
    const bystanderMarker = runningMarker();
    const cancelled = rejection(invokeAdapter(adapter, cancelledMarker.path, { signal: controller.signal }));
    const bystander = rejection(invokeAdapter(adapter, bystanderMarker.path));
    await cancelledMarker.written();
    await bystanderMarker.written();
    const pid = adapter.workerPid!;
    controller.abort();
    expect((await cancelled).code).toBe("cancelled");
    const bystanderError = await bystander;
    expect(bystanderError.code).toBe("adapter_error");
    expect(bystanderError.message).toContain("another call running in it was cancelled");
    await waitUntilGone(pid);
  });

  it("cancels a call still waiting for the worker to start without killing it", async () => {
    const adapter = pythonAdapter({ attribute: "whoami" });
    const controller = new AbortController();
    const starting = invokeAdapter(adapter, "p", { signal: controller.signal });
    controller.abort();
    expect((await rejection(starting)).code).toBe("cancelled");
    const pid = adapter.workerPid;
    expect(pid).toEqual(expect.any(Number));
    await expect(invokeAdapter(adapter, "p")).resolves.toEqual({ text: String(pid) });
  });

  it("does not start a worker for a call that is already cancelled", async () => {
    const adapter = pythonAdapter({});
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(invokeAdapter(adapter, "p", { signal: controller.signal }))).code).toBe("cancelled");
    expect(adapter.workerPid).toBeNull();
  });

  it("close ends the worker, leaves no process behind, and is idempotent", async () => {
    const adapter = pythonAdapter({});
    await invokeAdapter(adapter, "p");
    const pid = adapter.workerPid!;
    await adapter.close();
    expect(isAlive(pid)).toBe(false);
    await adapter.close();
    expect(adapter.workerPid).toBeNull();
    expect((await rejection(invokeAdapter(adapter, "p"))).message).toContain("closed");
  });

  it("close stops a worker in the middle of a call and fails that call", async () => {
    const adapter = pythonAdapter({ attribute: "announce_then_sleep" });
    const marker = runningMarker();
    const running = rejection(invokeAdapter(adapter, marker.path));
    await marker.written();
    const pid = adapter.workerPid!;
    await adapter.close();
    expect(isAlive(pid)).toBe(false);
    expect((await running).message).toContain("closed while the call was running");
  });

  it("fails a call that was waiting for the worker when the adapter closed, without starting another", async () => {
    const adapter = pythonAdapter({});
    const starting = rejection(invokeAdapter(adapter, "p"));
    await adapter.close();
    expect((await starting).message).toContain("closed");
    expect(adapter.workerPid).toBeNull();
  });

  it("does not keep Node alive and kills the worker when Node exits", async () => {
    const scriptPath = path.join(baseDir, "forgetful-host.mts");
    const adapterModule = path.join(process.cwd(), "lib", "adapters", "python.ts");
    writeFileSync(
      scriptPath,
      `import { createPythonAdapter } from ${JSON.stringify(adapterModule)};
const adapter = createPythonAdapter(
  { type: "python", name: "a", system_prompt: "", tools: [], import_path: "sync_agent", attribute: "whoami",
    working_directory: "agents", allow_generator: false, llm: null },
  { env: process.env, baseDir: ${JSON.stringify(baseDir)} },
);
const reply = await adapter.invoke({ prompt: "p", metadata: { mode: "planning" }, signal: new AbortController().signal });
console.log(reply.text);
// No close(): Node must still end on its own, and take the worker with it.
`,
    );
    const host = spawn(process.execPath, ["--import", "tsx", "--import", SERVER_ONLY_HOOKS, scriptPath], { cwd: process.cwd() });
    let output = "";
    let errors = "";
    host.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    host.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => host.on("exit", (code) => resolve(code)));
    expect(errors).toBe("");
    expect(exitCode).toBe(0);
    const workerPid = Number(output.trim());
    expect(workerPid).toBeGreaterThan(0);
    await waitUntilGone(workerPid);
  });
});
