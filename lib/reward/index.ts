export { ARBITER_FAILURE_RATIONALE, createRewardEvaluator, type RewardEvaluatorOptions } from "./evaluator";
export { runtimeErrorReward, skippedReward } from "./breakdown";
export type { EmitEvent, JudgeContext, JudgeOptions, RewardEvaluator } from "./types";
