/** `npm run test:stress` sets ATLAS_STRESS=1: the fuzz, crash and load tests then use their full counts. */
export const STRESS = process.env.ATLAS_STRESS === "1";

export function stressCount(regular: number, stress: number): number {
  return STRESS ? stress : regular;
}

/** The full counts take minutes on a loaded two-core machine. */
export const STRESS_TIMEOUT_MS = STRESS ? 1_800_000 : 300_000;
