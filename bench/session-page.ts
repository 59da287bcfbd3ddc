/**
 * Session page at scale: a big session (300 steps × 2 attempts × 3 judges, 20,000 events) against a
 * small one (10 steps, same shape) on the production build.
 *
 * Seeds both into a scratch PGlite folder through `appendEvents` (so the rows are exactly what a run
 * would have projected), starts `atlas serve` on it, and measures for each session:
 *   - server time of the page HTML (GET /sessions/:id), of the snapshot the page loads
 *     (GET /api/sessions/:id?evaluations=omit, whole body) and of one opened step (GET …/steps/1);
 *   - in Chromium: first contentful paint, the time until every step row of the timeline and every row
 *     of the waterfall is rendered, the time from opening step 1 to its judge panel on screen, and from
 *     opening one of its calls to the call's prompt and reply on screen;
 *   - for API users, the full snapshot (GET /api/sessions/:id with every evaluation), without a target.
 * Prints medians, the big ÷ small ratios (target < 3×) and the absolute times (target < 2 s).
 *
 *   npx next build   # once: the bench serves the production build in .next
 *   npm run bench -- bench/session-page.ts [--steps 300] [--events 20000] [--runs 5] [--keep]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser } from "@playwright/test";
import { openMigratedDatabase } from "@/lib/db/open";
import { appendEvents } from "@/lib/db/queries/events";
import { createSession } from "@/lib/db/queries/sessions";
import type { AtlasDb } from "@/lib/db/types";
import { buildSessionEvents } from "@/lib/session-view/testing/session-events";
import { sessionPageSnapshotPath, stepDetailPath } from "@/lib/sessions/api-types";

const { values: args } = parseArgs({
  options: {
    steps: { type: "string", default: "300" },
    events: { type: "string", default: "20000" },
    runs: { type: "string", default: "5" },
    keep: { type: "boolean", default: false },
  },
});
const BIG_STEPS = Number(args.steps);
const BIG_EVENTS = Number(args.events);
const SMALL_STEPS = 10;
const RUNS = Number(args.runs);
const JUDGES = ["process", "helpfulness", "custom_focus"] as const;
const root = path.resolve(import.meta.dirname, "..");

interface Seeded {
  label: string;
  id: number;
  steps: number;
  events: number;
}

interface Measured {
  html: number[];
  api: number[];
  apiBytes: number;
  step: number[];
  full: number[];
  fullBytes: number;
  stepOpened: number[];
  callOpened: number[];
  fcp: number[];
  stepsRendered: number[];
  /** When the page asked for the snapshot (after the JS loaded and hydrated). */
  snapshotRequested: number[];
  /** From the snapshot's last byte to the step list on screen: the client's own work. */
  renderAfterSnapshot: number[];
}

async function main() {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.error("No production build in .next: run `npx next build` first.");
    process.exit(1);
  }
  console.log(`session page bench: ${RUNS} runs each, load average ${loadavg().map((value) => value.toFixed(2)).join(" ")}`);
  const dataDir = await mkdtemp(path.join(tmpdir(), "atlas-bench-session-page-"));
  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  try {
    const sessions = await seed(dataDir);
    const port = await freePort();
    server = await startServer(dataDir, port);
    const base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    const results = new Map<string, Measured>();
    for (const session of sessions) results.set(session.label, await measure(base, session, browser));
    report(sessions, results);
  } finally {
    await browser?.close();
    if (server) await stopServer(server);
    if (args.keep) console.log(`data kept in ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  }
}

async function seed(dataDir: string): Promise<Seeded[]> {
  const handle = await openMigratedDatabase({ driver: "pglite", dataDir });
  try {
    const big = await seedSession(handle.db, "big", BIG_STEPS, BIG_EVENTS);
    const small = await seedSession(handle.db, "small", SMALL_STEPS, 0);
    return [small, big];
  } finally {
    await handle.close();
  }
}

async function seedSession(db: AtlasDb, label: string, steps: number, totalEvents: number): Promise<Seeded> {
  const started = performance.now();
  const row = await createSession(db, { task: `Bench ${label} session`, configName: "bench", status: "running" });
  const events = buildSessionEvents({ sessionId: row.id, steps, attempts: 2, judges: JUDGES, toolCalls: 1, totalEvents });
  await appendEvents(db, events);
  console.log(`seeded ${label}: session ${row.id}, ${steps} steps, ${events.length} events in ${seconds(performance.now() - started)}`);
  return { label, id: row.id, steps, events: events.length };
}

async function measure(base: string, session: Seeded, browser: Browser): Promise<Measured> {
  const pageUrl = `${base}/sessions/${session.id}`;
  const apiUrl = `${base}${sessionPageSnapshotPath(session.id)}`;
  const stepUrl = `${base}${stepDetailPath(session.id, 1)}`;
  const fullUrl = `${base}/api/sessions/${session.id}`;
  const result: Measured = {
    html: [],
    api: [],
    apiBytes: 0,
    step: [],
    full: [],
    fullBytes: 0,
    stepOpened: [],
    callOpened: [],
    fcp: [],
    stepsRendered: [],
    snapshotRequested: [],
    renderAfterSnapshot: [],
  };
  // One warm-up of each path: the first request compiles nothing in production, but opens caches.
  await timedFetch(pageUrl);
  await timedFetch(stepUrl);
  result.apiBytes = (await timedFetch(apiUrl)).bytes;
  result.fullBytes = (await timedFetch(fullUrl)).bytes;
  for (let run = 0; run < RUNS; run += 1) {
    result.html.push((await timedFetch(pageUrl)).ms);
    result.api.push((await timedFetch(apiUrl)).ms);
    result.step.push((await timedFetch(stepUrl)).ms);
    result.full.push((await timedFetch(fullUrl)).ms);
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(pageUrl);
    await page.waitForFunction(
      (steps) =>
        document.querySelectorAll('[data-testid="step-list"] > li').length >= steps &&
        document.querySelectorAll('[data-testid="waterfall"] > li').length >= steps,
      session.steps,
      { timeout: 60_000, polling: "raf" },
    );
    const timings = await page.evaluate((id) => {
      const snapshot = performance
        .getEntriesByType("resource")
        .find((entry) => new URL(entry.name).pathname === `/api/sessions/${id}`) as PerformanceResourceTiming | undefined;
      return {
        rendered: performance.now(),
        fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN,
        snapshotStart: snapshot?.startTime ?? Number.NaN,
        snapshotEnd: snapshot?.responseEnd ?? Number.NaN,
      };
    }, session.id);
    result.fcp.push(timings.fcp);
    result.stepsRendered.push(timings.rendered);
    result.snapshotRequested.push(timings.snapshotStart);
    result.renderAfterSnapshot.push(timings.rendered - timings.snapshotEnd);
    const openedAt = await page.evaluate(() => performance.now());
    await page.locator('[data-testid="step-1"] > button').click();
    await page.locator('[data-testid="judge-panel-1-2"]').waitFor({ timeout: 30_000 });
    result.stepOpened.push((await page.evaluate(() => performance.now())) - openedAt);
    const call = page.locator('[data-testid="calls-1-2"] [data-kind="agent"] [data-testid="call-toggle"]').first();
    await call.waitFor({ timeout: 30_000 });
    const callAt = await page.evaluate(() => performance.now());
    await call.click();
    await page.locator('[data-testid^="call-inspector-"] [data-testid="call-reply"]').first().waitFor({ timeout: 30_000 });
    result.callOpened.push((await page.evaluate(() => performance.now())) - callAt);
    await context.close();
  }
  return result;
}

async function timedFetch(url: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return { ms, bytes: body.byteLength };
}

function report(sessions: Seeded[], results: Map<string, Measured>) {
  const [small, big] = sessions as [Seeded, Seeded];
  const a = results.get(small.label) as Measured;
  const b = results.get(big.label) as Measured;
  const rows: [string, number[], number[]][] = [
    ["page HTML (server)", a.html, b.html],
    ["page snapshot (omit)", a.api, b.api],
    ["GET …/steps/1", a.step, b.step],
    ["first contentful paint", a.fcp, b.fcp],
    ["steps + waterfall drawn", a.stepsRendered, b.stepsRendered],
    ["open step 1 → judges", a.stepOpened, b.stepOpened],
    ["open a call → its reply", a.callOpened, b.callOpened],
  ];
  const breakdown: [string, number[], number[]][] = [
    ["  snapshot requested at", a.snapshotRequested, b.snapshotRequested],
    ["  render after snapshot", a.renderAfterSnapshot, b.renderAfterSnapshot],
    ["full snapshot (API users)", a.full, b.full],
  ];
  console.log("");
  console.log(`small: ${small.steps} steps, ${small.events} events, page snapshot ${kib(a.apiBytes)} (full ${kib(a.fullBytes)})`);
  console.log(`big:   ${big.steps} steps, ${big.events} events, page snapshot ${kib(b.apiBytes)} (full ${kib(b.fullBytes)})`);
  console.log("");
  console.log(`${"median of " + RUNS}`.padEnd(26) + "small".padStart(10) + "big".padStart(10) + "big/small".padStart(11) + "  targets");
  for (const [name, smallTimes, bigTimes] of rows) {
    const s = median(smallTimes);
    const l = median(bigTimes);
    const ratio = l / s;
    const verdict = `${ratio < 3 ? "ok" : "OVER"} (< 3×), ${l < 2000 ? "ok" : "OVER"} (< 2 s)`;
    console.log(name.padEnd(26) + ms(s).padStart(10) + ms(l).padStart(10) + `${ratio.toFixed(2)}×`.padStart(11) + `  ${verdict}`);
  }
  for (const [name, smallTimes, bigTimes] of breakdown) {
    console.log(name.padEnd(26) + ms(median(smallTimes)).padStart(10) + ms(median(bigTimes)).padStart(10));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

function seconds(value: number): string {
  return `${(value / 1000).toFixed(1)} s`;
}

function kib(bytes: number): string {
  return bytes > 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, "lib", "cli", "bin.mjs"), "serve"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ATLAS_DATA_DIR: dataDir, DATABASE_URL: "", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`atlas serve exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) return child;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill("SIGTERM");
  throw new Error("atlas serve did not answer /api/health within 60 s");
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
