/**
 * One gate per model endpoint (base URL), shared by every LLM client of this process and so by every
 * run in it: at most `limit` requests in flight, and after a 429 no request to that endpoint starts
 * until the pause the server asked for (or the back-off) is over, so the whole endpoint slows down
 * instead of each call retrying on its own.
 */
import { AtlasError } from "@/lib/errors";
import { abortableSleep, type Sleep } from "./retry";

export interface EndpointGateOptions {
  sleep?: Sleep;
  now?: () => number;
}

export class EndpointGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(
    private limit: number,
    options: EndpointGateOptions = {},
  ) {
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Milliseconds until requests may start again (0 when not paused). */
  pauseRemainingMs(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }

  /** A later reader of the variable may raise or lower the limit; requests in flight keep their slots. */
  setLimit(limit: number): void {
    this.limit = limit;
    this.admit();
  }

  /** Holds every request to the endpoint for `ms` from now (a longer pause already set wins). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.max(0, ms));
  }

  /** Waits for the pause to end and a free slot; resolves with the release function of that slot. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      const pause = this.pauseRemainingMs();
      if (pause > 0) {
        await this.sleep(pause, signal);
        continue;
      }
      if (this.active < this.limit) break;
      await this.waitForSlot(signal);
    }
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.admit();
    };
  }

  private admit(): void {
    let free = this.limit - this.active;
    while (free > 0 && this.waiting.length > 0) {
      this.waiting.shift()!();
      free -= 1;
    }
  }

  private waitForSlot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new AtlasError("cancelled", "cancelled while waiting for the model endpoint"));
        return;
      }
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(wake);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new AtlasError("cancelled", "cancelled while waiting for the model endpoint"));
      };
      this.waiting.push(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

const registry = globalThis as unknown as { __atlasEndpointGates?: Map<string, EndpointGate> };

/** The process-wide gate of an endpoint, created on first use; `limit` follows the latest caller's. */
export function endpointGate(baseUrl: string, limit: number): EndpointGate {
  registry.__atlasEndpointGates ??= new Map();
  const key = baseUrl.replace(/\/+$/, "");
  let gate = registry.__atlasEndpointGates.get(key);
  if (!gate) {
    gate = new EndpointGate(limit);
    registry.__atlasEndpointGates.set(key, gate);
  } else {
    gate.setLimit(limit);
  }
  return gate;
}
