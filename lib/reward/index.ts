export { ARBITER_FAILURE_RATIONALE, createRewardEvaluator, type RewardEvaluatorOptions } from "./evaluator";
export type { EmitEvent, JudgeContext, JudgeOptions, RewardEvaluator } from "./types";
