import { z } from "zod";

export const TokenUsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  calls: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export function emptyUsage(): TokenUsage {
  return { promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0, calls: 0 };
}
