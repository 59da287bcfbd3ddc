/**
 * The single writer of a run's trajectory. Every event gets the session id, the next gap-free `seq`
 * and a timestamp, is validated against the event union, written to the sink, and only then shown to
 * live listeners, so a viewer never sees an event the database does not have. Writes happen strictly
 * in `seq` order even when parallel steps emit at the same time.
 *
 * Writes are pipelined one deep: `emit` lets the engine go on once the PREVIOUS event is stored, and
 * this event's write starts on the next turn of the event loop — after the engine has sent its next
 * request — so storage overlaps the wait for the model instead of adding to it, and a crash loses at
 * most the one event in flight. `flush()` waits for everything.
 */
import { AtlasError, errorMessage } from "@/lib/errors";
import { isTerminalEvent, TrajectoryEventSchema, type EventInput, type TrajectoryEvent } from "./events";

export type EventSink = (event: TrajectoryEvent) => Promise<void>;
export type EventListener = (event: TrajectoryEvent) => void;

export interface EventRecorderOptions {
  sessionId: number;
  /** The last `seq` already stored for this session; the next event gets `startSeq + 1`. */
  startSeq?: number;
  sink?: EventSink | null;
  listeners?: EventListener[];
  now?: () => Date;
}

export class EventRecorder {
  readonly sessionId: number;
  private seq: number;
  private readonly sink: EventSink | null;
  private readonly listeners: EventListener[];
  private readonly now: () => Date;
  private tail: Promise<void> = Promise.resolve();
  private writeFailure: Error | null = null;
  private readonly pending = new Set<Promise<unknown>>();
  /** Set by the terminal event: nothing may follow it. */
  private ended = false;

  constructor(options: EventRecorderOptions) {
    this.sessionId = options.sessionId;
    this.seq = options.startSeq ?? 0;
    this.sink = options.sink ?? null;
    this.listeners = [...(options.listeners ?? [])];
    this.now = options.now ?? (() => new Date());
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
   * Accepts the event; resolves with it once every EARLIER event is stored (see the class comment), and
   * rejects when an earlier write failed.
   */
  emit(input: EventInput): Promise<TrajectoryEvent> {
    const event = this.stamp(input);
    const previous = this.tail;
    const done = previous.then(async () => {
      if (this.writeFailure) throw this.writeFailure;
      await new Promise((resolve) => setImmediate(resolve));
      try {
        await this.sink?.(event);
      } catch (error) {
        this.writeFailure = new AtlasError(
          "unavailable",
          `could not store event ${event.seq} (${event.type}) of session ${event.sessionId}: ${errorMessage(error)}`,
          { cause: error },
        );
        throw this.writeFailure;
      }
      this.notify(event);
      return event;
    });
    this.tail = done.then(
      () => undefined,
      () => undefined,
    );
    done.catch(() => undefined);
    return previous.then(() => {
      if (this.writeFailure) throw this.writeFailure;
      return event;
    });
  }

  /**
   * For synchronous callbacks (the LLM call recorder): takes the next `seq` now and writes in the
   * background; `flush()` waits for it, and a failure surfaces through `failure`. Events arriving after
   * the terminal event are dropped.
   */
  enqueue(input: EventInput): void {
    let promise: Promise<unknown>;
    try {
      promise = this.emit(input).catch(() => undefined);
    } catch (error) {
      if (!this.ended) this.writeFailure ??= error instanceof Error ? error : new Error(String(error));
      return;
    }
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  /** Waits until every accepted event is written. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
    await this.tail;
  }

  private stamp(input: EventInput): TrajectoryEvent {
    if (this.ended) {
      throw new AtlasError("internal", `session ${this.sessionId} has already ended; ${input.type} event dropped`);
    }
    const candidate = { ...input, sessionId: this.sessionId, seq: this.seq + 1, ts: this.now().toISOString() };
    const parsed = TrajectoryEventSchema.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
      throw new AtlasError("internal", `invalid ${input.type} event: ${issues.join("; ")}`);
    }
    this.seq += 1;
    if (isTerminalEvent(parsed.data)) this.ended = true;
    return parsed.data;
  }

  private notify(event: TrajectoryEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken viewer must not break the run; the event is already stored.
      }
    }
  }
}
