/**
 * Drives experiments: hands their cells to a `CellLauncher` with at most `capacity` in flight per
 * experiment, stops scheduling when the experiment is cancelled or its cost cap is reached (cells in
 * flight finish), and marks it `completed` once nothing is left. Plain server-side TypeScript.
 */
import "server-only";
import { experimentCostUsd, finishExperiment, setExperimentStatus } from "@/lib/db/queries/experiments";
import type { AtlasDb } from "@/lib/db/types";
import { errorMessage, isAtlasError } from "@/lib/errors";
import { cellKey, type Cell } from "./cells";
import type { CellLauncher } from "./launcher";

/** A cell to run, with what its session needs. */
export interface CellWork extends Cell {
  task: string;
  expectedAnswer: string | null;
  metadata: Record<string, unknown>;
  config: { name: string; version: number };
  retryOf: number | null;
}

interface Driver {
  experimentId: number;
  maxCostUsd: number | null;
  queue: CellWork[];
  inFlight: Set<number>;
  /** Cancelled, or the process is shutting down: no more cells start and the experiment is not finished here. */
  stopped: boolean;
  /** Set once it stopped taking cells: new work then starts a fresh driver after this one. */
  closing: boolean;
  idle: Promise<void>;
  wake: () => void;
}

export interface ExperimentRunnerOptions {
  database: () => Promise<AtlasDb>;
  launcher: CellLauncher;
  /** Runs once a cell's session ended, before the cell counts as done (reference scoring). */
  afterCell?: (experimentId: number, sessionId: number, work: CellWork) => Promise<void>;
}

export class ExperimentRunner {
  private readonly drivers = new Map<number, Driver>();
  /** Per experiment, the cells queued or in flight: the same cell is never queued twice. */
  private readonly busy = new Map<number, Set<string>>();

  constructor(private readonly options: ExperimentRunnerOptions) {}

  isDriving(experimentId: number): boolean {
    return this.drivers.has(experimentId);
  }

  /**
   * Queues cells of an experiment (the caller has set it `running`), starting its driver if none runs;
   * a cell already queued or in flight is left out. Answers how many cells were queued.
   */
  run(experimentId: number, cells: CellWork[], maxCostUsd: number | null): number {
    const busy = this.busy.get(experimentId) ?? new Set<string>();
    this.busy.set(experimentId, busy);
    const work = cells.filter((cell) => !busy.has(cellKey(cell)));
    for (const cell of work) busy.add(cellKey(cell));
    if (work.length === 0) return 0;
    const existing = this.drivers.get(experimentId);
    if (existing && !existing.stopped && !existing.closing) {
      existing.queue.push(...work);
      existing.wake();
      return work.length;
    }
    const driver: Driver = {
      experimentId,
      maxCostUsd,
      queue: [...work],
      inFlight: new Set(),
      stopped: false,
      closing: false,
      idle: Promise.resolve(),
      wake: () => {},
    };
    this.drivers.set(experimentId, driver);
    const previous = existing?.idle ?? Promise.resolve();
    driver.idle = previous
      .then(() => this.drive(driver))
      .catch((error: unknown) => console.error(`experiment ${experimentId} stopped scheduling after an error:`, error))
      .finally(() => {
        if (this.drivers.get(experimentId) === driver) this.drivers.delete(experimentId);
      });
    return work.length;
  }

  /** Marks the experiment cancelled, drops its unscheduled cells and cancels the sessions in flight. */
  async cancel(experimentId: number): Promise<void> {
    const db = await this.options.database();
    await setExperimentStatus(db, experimentId, { status: "cancelled" });
    const driver = this.drivers.get(experimentId);
    if (!driver) return;
    driver.stopped = true;
    this.dropQueued(driver);
    driver.wake();
    await Promise.all([...driver.inFlight].map((sessionId) => this.options.launcher.cancel(sessionId)));
  }

  /** Resolves when the experiment's driver (if any) has finished. */
  whenIdle(experimentId: number): Promise<void> {
    return this.drivers.get(experimentId)?.idle ?? Promise.resolve();
  }

  private async drive(driver: Driver): Promise<void> {
    const db = await this.options.database();
    const { launcher } = this.options;
    let stopReason: string | null = null;
    while (!driver.stopped) {
      if (driver.inFlight.size >= launcher.capacity || (driver.queue.length === 0 && driver.inFlight.size > 0)) {
        await this.nextWake(driver);
        continue;
      }
      const work = driver.queue.shift();
      if (!work) break;
      if (driver.maxCostUsd !== null) {
        const spent = await experimentCostUsd(db, driver.experimentId);
        if (spent >= driver.maxCostUsd) {
          stopReason = `the cost cap of $${driver.maxCostUsd} was reached ($${spent.toFixed(4)} spent): ${driver.queue.length + 1} cell(s) were not started`;
          this.release(driver.experimentId, work);
          this.dropQueued(driver);
          break;
        }
      }
      let sessionId: number;
      try {
        sessionId = await launcher.launch({
          task: work.task,
          metadata: work.metadata,
          config: work.config,
          cell: { experimentId: driver.experimentId, experimentArmId: work.armId, taskIndex: work.taskIndex, repeatIndex: work.repeat, retryOf: work.retryOf },
        });
      } catch (error) {
        this.release(driver.experimentId, work);
        this.dropQueued(driver);
        // The process is stopping: the experiment stays running, for the next start to resume.
        if (isAtlasError(error) && error.code === "unavailable") {
          driver.stopped = true;
          break;
        }
        stopReason = `a cell could not be started, so scheduling stopped: ${errorMessage(error)}`;
        break;
      }
      driver.inFlight.add(sessionId);
      // Cancelled while this launch was on its way: the cancel did not see it.
      if (driver.stopped) void launcher.cancel(sessionId).catch((error: unknown) => console.error(`could not cancel session ${sessionId}:`, error));
      void launcher
        .done(sessionId)
        .then(() => this.options.afterCell?.(driver.experimentId, sessionId, work))
        .catch((error: unknown) => console.error(`after session ${sessionId} of experiment ${driver.experimentId}:`, error))
        .finally(() => {
          driver.inFlight.delete(sessionId);
          this.release(driver.experimentId, work);
          driver.wake();
        });
    }
    driver.closing = true;
    while (driver.inFlight.size > 0) await this.nextWake(driver);
    // Cancelled, or cells were re-queued while the last ones finished: the newer driver finishes the experiment.
    if (driver.stopped || this.drivers.get(driver.experimentId) !== driver) return;
    if (stopReason) await setExperimentStatus(db, driver.experimentId, { status: "running", stopReason });
    await finishExperiment(db, driver.experimentId);
  }

  private release(experimentId: number, cell: Cell): void {
    this.busy.get(experimentId)?.delete(cellKey(cell));
  }

  private dropQueued(driver: Driver): void {
    for (const cell of driver.queue.splice(0)) this.release(driver.experimentId, cell);
  }

  private nextWake(driver: Driver): Promise<void> {
    return new Promise((resolve) => {
      driver.wake = resolve;
    });
  }
}
