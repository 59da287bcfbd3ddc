/**
 * The single writer of a run's trajectory. Every event gets the session id, the next gap-free `seq`
 * and a timestamp, is validated against the event union, written to the sink, and only then shown to
 * live listeners, so a viewer never sees an event the database does not have. Writes happen strictly
 * in `seq` order even when parallel steps emit at the same time.
 *
 * `emit` does not wait for storage: the event joins a queue, and one write at a time stores everything
 * queued (a burst of events — a step's bookkeeping, the judge samples of parallel steps — is one
 * write). Before the engine does anything outside the process (a model request, an agent call) it
 * waits at `handedOff()` until every event so far is stored or in the write in flight. So storage
 * overlaps the wait for the model instead of adding to it, a slow store slows the run down rather than
 * letting the queue grow, and a crash loses at most the write in flight and whatever was emitted after
 * the last outside call began. `flush()` waits for everything.
 *
 * An `agent.call` event only records a call that already returned: it does not hold back the next call
 * (an in-process agent's turns would otherwise each wait out the write in flight). It is written in
 * order with the next write, so a crash can also lose the records of the calls since that write began.
 */
import { redactValue, type Secret } from "@/lib/config/secret-redaction";
import { AtlasError, errorMessage } from "@/lib/errors";
import { isTerminalEvent, TrajectoryEventSchema, withoutCapture, type EventInput, type TrajectoryEvent } from "@/lib/trajectory";

/** Events that need not be stored before the next outside call (see above). */
const RECORDS_OF_RETURNED_CALLS: ReadonlySet<TrajectoryEvent["type"]> = new Set(["agent.call"]);

/** Stores events in order; resolves once all of them are durable. */
export type EventSink = (events: readonly TrajectoryEvent[]) => Promise<void>;
export type EventListener = (event: TrajectoryEvent) => void;

export interface EventRecorderOptions {
  sessionId: number;
  /** The last `seq` already stored for this session; the next event gets `startSeq + 1`. */
  startSeq?: number;
  sink?: EventSink | null;
  listeners?: EventListener[];
  now?: () => Date;
  /** Values no event may carry (an agent that echoes a header, a model that quotes its key): replaced before validation. */
  secrets?: readonly Secret[];
}

interface QueuedEvent {
  event: TrajectoryEvent;
  stored(): void;
  failed(error: Error): void;
}

export class EventRecorder {
  readonly sessionId: number;
  private seq: number;
  private readonly sink: EventSink | null;
  private readonly listeners: EventListener[];
  private readonly now: () => Date;
  private readonly secrets: readonly Secret[];
  private queue: QueuedEvent[] = [];
  private writing = false;
  private handOffWaiters: { resolve(): void; reject(error: Error): void }[] = [];
  /** Settles once the last accepted event is stored (rejects when it could not be). */
  private lastStored: Promise<void> = Promise.resolve();
  private writeFailure: Error | null = null;
  /** Set by the terminal event: nothing may follow it. */
  private ended = false;

  constructor(options: EventRecorderOptions) {
    this.sessionId = options.sessionId;
    this.seq = options.startSeq ?? 0;
    this.sink = options.sink ?? null;
    this.listeners = [...(options.listeners ?? [])];
    this.now = options.now ?? (() => new Date());
    this.secrets = options.secrets ?? [];
  }

  /** The `seq` of the last event accepted (written or queued). */
  get lastSeq(): number {
    return this.seq;
  }

  /** True once the terminal event was accepted. */
  get sessionEnded(): boolean {
    return this.ended;
  }

  /** The first sink failure; once set, every later event is refused so the stored log has no gaps. */
  get failure(): Error | null {
    return this.writeFailure;
  }

  addListener(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /**
   * Accepts the event and queues its write; resolves at once with the stamped event, or rejects when an
   * earlier write failed (the run must stop: its log cannot have gaps).
   */
  emit(input: EventInput): Promise<TrajectoryEvent> {
    const event = this.stamp(input);
    this.lastStored = new Promise<void>((stored, failed) => this.queue.push({ event, stored, failed }));
    this.lastStored.catch(() => undefined);
    this.startWriting();
    return this.writeFailure ? Promise.reject(this.writeFailure) : Promise.resolve(event);
  }

  /**
   * Resolves once every event accepted so far is stored or in the write in flight; rejects when a write
   * failed. The engine awaits it before each model request and agent call.
   */
  handedOff(): Promise<void> {
    if (this.writeFailure) return Promise.reject(this.writeFailure);
    if (this.queue.every((queued) => RECORDS_OF_RETURNED_CALLS.has(queued.event.type))) return Promise.resolve();
    return new Promise((resolve, reject) => this.handOffWaiters.push({ resolve, reject }));
  }

  /**
   * For synchronous callbacks (the LLM call recorder): takes the next `seq` now and writes in the
   * background; `flush()` waits for it, and a failure surfaces through `failure`. Events arriving after
   * the terminal event are dropped.
   */
  enqueue(input: EventInput): void {
    try {
      this.emit(input).catch(() => undefined);
    } catch (error) {
      if (!this.ended) this.writeFailure ??= error instanceof Error ? error : new Error(String(error));
    }
  }

  /** Waits until every accepted event is written (or refused after a failure). */
  async flush(): Promise<void> {
    await this.lastStored.catch(() => undefined);
  }

  private startWriting(): void {
    if (this.writing) return;
    this.writing = true;
    void this.writeQueued();
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      // One turn first: the emitting code runs on, and its burst of events joins this write.
      await new Promise((resolve) => setImmediate(resolve));
      const batch = this.queue;
      this.queue = [];
      if (!this.writeFailure) {
        this.settleHandOffWaiters();
        // And one more: a caller released above sends its request before this write takes the thread.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          await this.sink?.(batch.map((queued) => queued.event));
        } catch (error) {
          this.writeFailure = new AtlasError("unavailable", `could not store ${describe(batch)}: ${errorMessage(error)}`, {
            cause: error,
          });
        }
      }
      for (const queued of batch) {
        if (this.writeFailure) {
          queued.failed(this.writeFailure);
        } else {
          this.notify(queued.event);
          queued.stored();
        }
      }
      if (this.writeFailure) this.settleHandOffWaiters();
    }
    this.writing = false;
  }

  private settleHandOffWaiters(): void {
    const waiters = this.handOffWaiters;
    this.handOffWaiters = [];
    for (const waiter of waiters) {
      if (this.writeFailure) waiter.reject(this.writeFailure);
      else waiter.resolve();
    }
  }

  private stamp(input: EventInput): TrajectoryEvent {
    if (this.ended) {
      throw new AtlasError("internal", `session ${this.sessionId} has already ended; ${input.type} event dropped`);
    }
    const candidate = { ...redactValue(input, this.secrets), sessionId: this.sessionId, seq: this.seq + 1, ts: this.now().toISOString() };
    const parsed = TrajectoryEventSchema.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
      throw new AtlasError("internal", `invalid ${input.type} event: ${issues.join("; ")}`);
    }
    this.seq += 1;
    if (isTerminalEvent(parsed.data)) this.ended = true;
    return parsed.data;
  }

  /** Listeners get calls without their captures: the store keeps those, and viewers fetch them on demand. */
  private notify(stored: TrajectoryEvent): void {
    const event = withoutCapture(stored);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken viewer must not break the run; the event is already stored.
      }
    }
  }
}

function describe(batch: QueuedEvent[]): string {
  const first = batch[0]!.event;
  const last = batch[batch.length - 1]!.event;
  if (first === last) return `event ${first.seq} (${first.type}) of session ${first.sessionId}`;
  return `events ${first.seq}–${last.seq} (${first.type} … ${last.type}) of session ${first.sessionId}`;
}
