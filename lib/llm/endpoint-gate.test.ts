/**
 * The per-endpoint gate: a concurrency limit shared by every client of one base URL, and a 429 that
 * pauses the whole endpoint. The unit half drives the pause with a hand-stepped clock; the HTTP half
 * counts what the scripted server holds at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedLlm, type ScriptedLlm } from "@/lib/llm/scripted";
import { createLlmClient } from "./client";
import { EndpointGate, endpointGate } from "./endpoint-gate";

/** A clock the test moves, and a sleep that resolves only when the test lets it (by advancing the clock). */
function manualTime() {
  let now = 0;
  const sleepers: { until: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => sleepers.push({ until: now + ms, resolve })),
    sleeping: () => sleepers.length,
    advance(ms: number) {
      now += ms;
      for (const sleeper of sleepers.splice(0)) {
        if (sleeper.until <= now) sleeper.resolve();
        else sleepers.push(sleeper);
      }
    },
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("EndpointGate", () => {
  it("admits at most `limit` at once, in arrival order", async () => {
    const gate = new EndpointGate(2);
    const order: number[] = [];
    const releases = await Promise.all([gate.acquire(), gate.acquire()]);
    const third = gate.acquire().then((release) => (order.push(3), release));
    const fourth = gate.acquire().then((release) => (order.push(4), release));
    await flush();
    expect([gate.inFlight, gate.queued, order]).toEqual([2, 2, []]);
    releases[0]!();
    await flush();
    expect(order).toEqual([3]);
    releases[1]!();
    releases[1]!(); // a second release of the same slot frees nothing more
    await flush();
    expect(order).toEqual([3, 4]);
    expect(gate.inFlight).toBe(2);
    (await third)();
    (await fourth)();
    expect(gate.inFlight).toBe(0);
  });

  it("after a pause no request starts until it is over, even with free slots", async () => {
    const time = manualTime();
    const gate = new EndpointGate(4, { now: time.now, sleep: time.sleep });
    gate.pause(1000);
    let started = false;
    const waiting = gate.acquire().then((release) => {
      started = true;
      return release;
    });
    await flush();
    expect([started, time.sleeping()]).toEqual([false, 1]);
    time.advance(600);
    await flush();
    expect(started).toBe(false);
    // A longer pause requested meanwhile (another 429) extends the wait.
    gate.pause(1000);
    time.advance(400);
    await flush();
    expect(started).toBe(false);
    time.advance(600);
    await flush();
    expect(started).toBe(true);
    (await waiting)();
  });

  it("a waiting request is cancelled by its signal and gives its place up", async () => {
    const gate = new EndpointGate(1);
    const held = await gate.acquire();
    const controller = new AbortController();
    const waiting = gate.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "cancelled" });
    expect(gate.queued).toBe(0);
    held();
  });

  it("is one per base URL in the process, whatever the trailing slash", () => {
    expect(endpointGate("http://127.0.0.1:1/v1/", 3)).toBe(endpointGate("http://127.0.0.1:1/v1", 3));
    expect(endpointGate("http://127.0.0.1:1/v1", 3)).not.toBe(endpointGate("http://127.0.0.1:2/v1", 3));
  });
});

describe("LLM clients behind the gate", () => {
  let llm: ScriptedLlm;
  beforeAll(async () => {
    llm = await startScriptedLlm({
      rules: [
        { contains: "HOLD", reply: { content: "held", waitFor: "open" } },
        { contains: "LIMITED", times: 1, reply: { status: 429, message: "slow down", retryAfter: 0 } },
        { reply: { content: "ok" } },
      ],
    });
  });
  afterAll(async () => {
    await llm?.close();
  });

  const params = (model: string) => ({ provider: "openai" as const, model, api_base: llm.url, api_key_env: null, timeout_seconds: 30, retry: { attempts: 1, backoff_seconds: 0 } });
  const ask = (model: string, text: string, env: Record<string, string> = {}) =>
    createLlmClient(params(model) as never, { env }).complete({ messages: [{ role: "user", content: text }], actor: "teacher", stage: "test" } as never);

  it("holds requests beyond ATLAS_ENDPOINT_CONCURRENCY back, across clients of different models", async () => {
    const env = { ATLAS_ENDPOINT_CONCURRENCY: "2" };
    const calls = ["a", "b", "c", "d", "e"].map((model) => ask(model, `HOLD ${model}`, env));
    const gate = endpointGate(llm.url, 2);
    const held = () => llm.requests.filter((request) => JSON.stringify(request.messages).includes("HOLD")).length;
    while (held() < 2 || gate.queued < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    // Only the two admitted requests reached the server; the other three wait in the gate.
    expect([held(), gate.inFlight, gate.queued]).toEqual([2, 2, 3]);
    llm.openGate("open");
    const replies = await Promise.all(calls);
    expect(replies.map((reply) => reply.content)).toEqual(["held", "held", "held", "held", "held"]);
    expect(gate.inFlight).toBe(0);
  });

  it("a 429 pauses the endpoint and the call is retried through the gate", async () => {
    const reply = await ask("m", "LIMITED please");
    expect(reply.content).toBe("ok");
    expect(reply.tries).toBe(2);
  });
});
