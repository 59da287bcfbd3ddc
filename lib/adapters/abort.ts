/**
 * Cancellation helpers shared by the adapters: every wait an adapter does must end as soon as the call's signal fires.
 */
import { AtlasError } from "@/lib/errors";

export function cancelledError(adapterType: string): AtlasError {
  return new AtlasError("cancelled", `${adapterType} agent call was cancelled`);
}

export function throwIfCancelled(signal: AbortSignal, adapterType: string): void {
  if (signal.aborted) throw cancelledError(adapterType);
}

/**
 * Settles like `work`, except that it rejects with a `cancelled` error the moment `signal` fires.
 * `work` itself keeps running; callers that own a resource stop it in `onAbort`.
 */
export function raceWithAbort<T>(
  work: Promise<T>,
  signal: AbortSignal,
  adapterType: string,
  onAbort?: () => void,
): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    onAbort?.();
    return Promise.reject(cancelledError(adapterType));
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort?.();
      reject(cancelledError(adapterType));
    };
    signal.addEventListener("abort", abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error);
      },
    );
  });
}

/** Waits `ms` milliseconds, or rejects with `cancelled` as soon as `signal` fires. */
export function sleep(ms: number, signal: AbortSignal, adapterType: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return raceWithAbort(elapsed, signal, adapterType, () => clearTimeout(timer));
}
