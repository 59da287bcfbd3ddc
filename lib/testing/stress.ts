/** `npm run test:stress` sets ATLAS_STRESS=1: the fuzz, crash and load tests then use their full counts. */
export const STRESS = process.env.ATLAS_STRESS === "1";

export function stressCount(regular: number, stress: number): number {
  return STRESS ? stress : regular;
}
