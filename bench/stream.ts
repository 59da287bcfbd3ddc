/**
 * Live event streaming, end to end: one run emitting N events (default 10,000) through the engine's
 * recorder and the run manager's store (one event-loop turn, then the database write, then the live
 * bus), served by the SAME handler as
 * `GET /api/sessions/:id/events` behind a plain node:http server, read over HTTP by an SSE client in its
 * own process (bench/stream-client.ts), so the client's reads never wait for the server's event loop.
 *
 * The run is paced as the engine paces itself when every event precedes a model call: emit, then wait
 * at `handedOff()` until the event is on its way to the store (so every event is its own write — the
 * most writes a run of N events can cost).
 *
 * Baseline: the same events written by the same recorder to the same store, with nobody listening.
 * Prints p50/p99 latency (emit → received, and stored → received) and the throughput ratio
 * streaming ÷ baseline. Targets: p99 < 50 ms, ratio ≥ 0.5.
 *
 *   npm run bench -- bench/stream.ts [--events 10000] [--clients 1] [--drivers pglite,postgres]
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createTestDatabase, postgresUnavailableReason } from "@/lib/db/testing/databases";
import type { DriverName } from "@/lib/db/target";
import type { AtlasDb } from "@/lib/db/types";
import { createSessionEventsHandler } from "@/lib/runs/events-handler";
import { LiveBus } from "@/lib/runs/live-bus";
import { createSyntheticSession, syntheticEventInputs, syntheticRecorder } from "@/lib/runs/testing/synthetic";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "10000" },
    clients: { type: "string", default: "1" },
    drivers: { type: "string", default: "pglite,postgres" },
  },
});
const EVENT_COUNT = Number(args.events);
const CLIENTS = Number(args.clients);
const root = path.resolve(import.meta.dirname, "..");
/** Wall-clock milliseconds with sub-ms precision, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();

interface Result {
  driver: DriverName;
  baselineEventsPerSecond: number;
  streamingEventsPerSecond: number;
  emitToReceived: number[];
  storedToReceived: number[];
}

async function main() {
  console.log(`stream bench: ${EVENT_COUNT} events, ${CLIENTS} SSE client(s), load average ${loadavg().map((value) => value.toFixed(2)).join(" ")}`);
  const results: Result[] = [];
  for (const driver of (args.drivers ?? "").split(",").map((name) => name.trim()) as DriverName[]) {
    if (driver === "postgres" || driver === "neon") {
      const reason = await postgresUnavailableReason();
      if (reason) {
        console.log(`${driver}: skipped (${reason})`);
        continue;
      }
    }
    results.push(await benchDriver(driver));
  }
  console.log("");
  console.log("driver    baseline ev/s  streaming ev/s  ratio  emit→recv p50/p99 ms  stored→recv p50/p99 ms");
  for (const result of results) {
    const ratio = result.streamingEventsPerSecond / result.baselineEventsPerSecond;
    console.log(
      [
        result.driver.padEnd(9),
        result.baselineEventsPerSecond.toFixed(0).padStart(13),
        result.streamingEventsPerSecond.toFixed(0).padStart(15),
        ratio.toFixed(2).padStart(6),
        `${percentile(result.emitToReceived, 50).toFixed(2)} / ${percentile(result.emitToReceived, 99).toFixed(2)}`.padStart(21),
        `${percentile(result.storedToReceived, 50).toFixed(2)} / ${percentile(result.storedToReceived, 99).toFixed(2)}`.padStart(23),
      ].join(" "),
    );
    const p99 = percentile(result.emitToReceived, 99);
    console.log(
      `          target p99 < 50 ms: ${p99 < 50 ? "met" : "MISSED"} (${p99.toFixed(2)} ms); target ratio ≥ 0.5: ${ratio >= 0.5 ? "met" : "MISSED"} (${ratio.toFixed(2)})`,
    );
  }
}

async function benchDriver(driver: DriverName): Promise<Result> {
  const database = await createTestDatabase(driver);
  try {
    // Warm up the statements and the JIT on a small session first.
    await writeOnly(database.db, 200);
    // A-B-B-A order cancels a load that drifts steadily while the bench runs (2 cores, shared machine).
    const baselineFirst = await writeOnly(database.db, EVENT_COUNT);
    const streamedFirst = await streamed(database.db);
    const streamedSecond = await streamed(database.db);
    const baselineSecond = await writeOnly(database.db, EVENT_COUNT);
    const baselineMs = baselineFirst + baselineSecond;
    const streamingMs = streamedFirst.elapsedMs + streamedSecond.elapsedMs;
    console.log(
      `${driver}: 2 × ${EVENT_COUNT} events stored in ${(baselineFirst / 1000).toFixed(2)} + ${(baselineSecond / 1000).toFixed(2)} s, ` +
        `streamed to ${CLIENTS} client(s) in ${(streamedFirst.elapsedMs / 1000).toFixed(2)} + ${(streamedSecond.elapsedMs / 1000).toFixed(2)} s ` +
        `(load average now ${loadavg()[0]?.toFixed(2)})`,
    );
    return {
      driver,
      baselineEventsPerSecond: (2 * EVENT_COUNT) / (baselineMs / 1000),
      streamingEventsPerSecond: (2 * EVENT_COUNT) / (streamingMs / 1000),
      emitToReceived: [...streamedFirst.emitToReceived, ...streamedSecond.emitToReceived],
      storedToReceived: [...streamedFirst.storedToReceived, ...streamedSecond.storedToReceived],
    };
  } finally {
    await database.close();
  }
}

/** Milliseconds to store `count` events with nobody listening. */
async function writeOnly(db: AtlasDb, count: number): Promise<number> {
  const sessionId = await createSyntheticSession(db, "baseline");
  const recorder = syntheticRecorder(db, sessionId, () => undefined);
  const started = performance.now();
  for (const input of syntheticEventInputs(count)) {
    await recorder.emit(input);
    await recorder.handedOff();
  }
  await recorder.flush();
  return performance.now() - started;
}

async function streamed(db: AtlasDb) {
  const bus = new LiveBus();
  const sessionId = await createSyntheticSession(db, "streamed");
  let live = true;
  const handler = createSessionEventsHandler(() => ({ database: async () => db, bus, isLive: () => live }));
  const server = await listen(handler);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const emittedAt = new Float64Array(EVENT_COUNT + 1);
  const storedAt = new Float64Array(EVENT_COUNT + 1);
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect(`${base}/api/sessions/${sessionId}/events`)));

  const recorder = syntheticRecorder(
    db,
    sessionId,
    (event) => {
      storedAt[event.seq] = now();
      bus.publish(event);
    },
  );
  const started = now();
  const inputs = syntheticEventInputs(EVENT_COUNT);
  for (let index = 0; index < inputs.length; index += 1) {
    emittedAt[index + 1] = now();
    await recorder.emit(inputs[index] as (typeof inputs)[number]);
    await recorder.handedOff();
  }
  const received = await Promise.all(clients.map((client) => client.done));
  const elapsedMs = Math.max(...received.map((times) => times[EVENT_COUNT] ?? Number.NaN)) - started;
  live = false;
  server.close();

  const emitToReceived: number[] = [];
  const storedToReceived: number[] = [];
  for (const times of received) {
    for (let seq = 1; seq <= EVENT_COUNT; seq += 1) {
      const at = times[seq];
      if (at === undefined || Number.isNaN(at)) throw new Error(`a client never received event ${seq}`);
      emitToReceived.push(at - (emittedAt[seq] as number));
      storedToReceived.push(at - (storedAt[seq] as number));
    }
  }
  return { elapsedMs, emitToReceived, storedToReceived };
}

/** An SSE client in its own process (bench/stream-client.ts); resolves with the arrival time of each seq. */
async function connect(url: string): Promise<{ done: Promise<number[]> }> {
  const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "bench/stream-client.ts"), url, String(EVENT_COUNT)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  const connected = new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
      if (stderr.includes("connected\n")) resolve();
    });
    child.on("exit", () => reject(new Error(`SSE client exited before connecting: ${stderr}`)));
  });
  const done = new Promise<number[]>((resolve, reject) => {
    child.on("exit", (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as number[]);
      else reject(new Error(`SSE client failed (${code}): ${stderr}`));
    });
  });
  await connected;
  return { done };
}

type FetchHandler = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;

/** A minimal adapter from node:http to the route's fetch-style handler. */
async function listen(handler: FetchHandler): Promise<Server> {
  const server = createServer({ noDelay: true }, (incoming, outgoing) => {
    serve(handler, incoming, outgoing).catch((error: unknown) => {
      console.error(error);
      outgoing.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

async function serve(handler: FetchHandler, incoming: IncomingMessage, outgoing: ServerResponse) {
  const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
  const id = /^\/api\/sessions\/([^/]+)\/events$/.exec(url.pathname)?.[1] ?? "";
  const disconnected = new AbortController();
  outgoing.on("close", () => disconnected.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
  const response = await handler(new Request(url, { headers, signal: disconnected.signal }), { params: Promise.resolve({ id }) });
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.flushHeaders();
  if (!response.body) return void outgoing.end();
  for await (const chunk of response.body) {
    if (!outgoing.write(chunk)) await new Promise((resolve) => outgoing.once("drain", resolve));
  }
  outgoing.end();
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

await main();
