import { expect } from "vitest";
import { AtlasError } from "@/lib/errors";

/** Awaits a promise that must reject with an AtlasError and returns the error, for assertions on it. */
export async function rejection(promise: Promise<unknown>): Promise<AtlasError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AtlasError);
  return error as AtlasError;
}
