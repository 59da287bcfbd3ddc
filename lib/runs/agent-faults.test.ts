/**
 * Agents that misbehave at the worst moment, through the whole engine with the real adapters: a python
 * worker that loops forever or dies mid-step, an HTTP agent that never answers. Each time the step
 * fails with a reason (timed out, or the worker's exit), the session ends, and no worker is left running.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigObject } from "@/lib/config";
import { startScriptedLlm, type ScriptedLlm } from "@/lib/llm/scripted";
import { runTask as run } from "@/lib/compose";
import { llmParams, TEST_ENV } from "@/lib/runtime/testing/config";
import { agreeingJudges, keepPlanReview, validVerdict } from "@/lib/runtime/testing/scripts";
import type { TrajectoryEvent } from "@/lib/trajectory";

const PLAN = JSON.stringify({ steps: [{ id: 1, description: "Do the work", depends_on: [] }] });
const PYTHON_AGENTS = `
import json, os, sys, time

PLAN = ${JSON.stringify(PLAN)}

def answer(prompt, metadata, on_step):
    mode = (metadata or {}).get("mode")
    if mode == "planning":
        return PLAN
    if mode == "synthesis":
        return "done"
    return on_step()

def loops(prompt, metadata=None):
    def spin():
        while True:
            pass
    return answer(prompt, metadata, spin)

def dies(prompt, metadata=None):
    def die():
        sys.stderr.write("agent is going down\\n")
        sys.stderr.flush()
        os._exit(7)
    return answer(prompt, metadata, die)
`;

let llm: ScriptedLlm;
let folder: string;
let hangingAgent: Server;
let hangingUrl: string;
const openRequests: import("node:http").ServerResponse[] = [];

beforeAll(async () => {
  llm = await startScriptedLlm({ rules: [keepPlanReview(), validVerdict, agreeingJudges()] });
  folder = mkdtempSync(path.join(tmpdir(), "atlas-faulty-agents-"));
  writeFileSync(path.join(folder, "faulty_agents.py"), PYTHON_AGENTS);
  // Answers planning and synthesis; a step call is left open forever.
  hangingAgent = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const mode = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { metadata?: { mode?: string } }).metadata?.mode;
    if (mode === "execution") return void openRequests.push(response);
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ output: mode === "planning" ? PLAN : "done" }));
  });
  await new Promise<void>((resolve) => hangingAgent.listen(0, "127.0.0.1", resolve));
  hangingUrl = `http://127.0.0.1:${(hangingAgent.address() as AddressInfo).port}/agent`;
});
afterAll(async () => {
  openRequests.forEach((response) => response.destroy());
  await new Promise((resolve) => hangingAgent?.close(resolve));
  await llm?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

function configWith(agent: Record<string, unknown>, stepTimeoutSeconds: number) {
  const parsed = parseConfigObject({
    agent: { name: "faulty", system_prompt: "You are faulty.", ...agent },
    teacher: { llm: llmParams(llm.url, "teacher-model") },
    orchestration: { max_retries: 0, step_timeout_seconds: stepTimeoutSeconds },
    rim: { small_model: llmParams(llm.url, "judge-small"), large_model: llmParams(llm.url, "judge-large") },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

async function runWith(agent: Record<string, unknown>, stepTimeoutSeconds: number) {
  const events: TrajectoryEvent[] = [];
  const result = await run({
    task: "Do something that goes wrong",
    config: configWith(agent, stepTimeoutSeconds),
    baseDir: folder,
    codeRoots: [folder],
    env: TEST_ENV,
    store: "none",
    onEvent: (event) => events.push(event),
  });
  const step = events.find((event) => event.type === "step.finished") as (TrajectoryEvent & { status: string; reason?: string }) | undefined;
  return { result, step, events };
}

describe("misbehaving agents end the step with a reason", () => {
  it("a python agent that loops forever: the step times out, the session fails, the worker is killed", async () => {
    const { result, step, events } = await runWith({ type: "python", import_path: "faulty_agents", attribute: "loops" }, 2);
    expect(step).toMatchObject({ status: "failed", reason: "step 1 timed out after 2s" });
    expect(result.status).toBe("failed");
    expect(events.at(-1)?.type).toBe("session.failed");
    // The worker's command line carries the spec with this folder: no such process is left.
    expect(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })).not.toContain(folder);
  });

  it("a python worker that dies mid-step: the attempt fails naming the exit and the worker's last words", async () => {
    const { result, step, events } = await runWith({ type: "python", import_path: "faulty_agents", attribute: "dies" }, 60);
    expect(step?.status).toBe("failed");
    const attempt = events.find((event) => event.type === "attempt.finished") as { error?: string } | undefined;
    expect(attempt?.error).toMatch(/exit(ed)? .*7|code 7/);
    expect(attempt?.error).toContain("agent is going down");
    expect(result.status).toBe("failed");
  });

  it("an HTTP agent that never answers a step: the step times out and the session fails", async () => {
    const { result, step } = await runWith({ type: "http_api", transport: { base_url: hangingUrl, timeout_seconds: 120, retry: { attempts: 1 } } }, 2);
    expect(step).toMatchObject({ status: "failed", reason: "step 1 timed out after 2s" });
    expect(result.status).toBe("failed");
    expect(openRequests.length).toBeGreaterThan(0);
  });
});
