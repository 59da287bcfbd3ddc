/**
 * Scripted-LLM rules for engine tests: a teacher that keeps the student's plan, validation verdicts,
 * and judges that agree (no escalation) unless told otherwise.
 */
import { parseJsonObject } from "@/lib/llm/json";
import type { RecordedRequest, ScriptReply, ScriptRule } from "@/lib/llm/scripted/types";

/** The JSON the teacher/judge received in its last user message. */
export function userPayload(request: RecordedRequest): Record<string, unknown> {
  const user = [...request.messages].reverse().find((message) => message.role === "user")?.content ?? "";
  const parsed = parseJsonObject(user.replace(/\nReturn json\.$/, ""));
  return parsed.ok ? parsed.value : {};
}

export function keepPlanReview(mode: "stepwise" | "single_shot" = "stepwise"): ScriptRule {
  return {
    caller: "plan_review",
    reply: (request) => {
      const plan = userPayload(request).plan as { steps?: unknown[] } | undefined;
      return { json: { execution_mode: mode, steps: plan?.steps ?? [], concerns: null } };
    },
  };
}

export function judgeReply(score: number, uncertainty = 0.1): ScriptReply {
  return {
    json: {
      principles: [{ name: "Correctness", weight: 1, description: "The step did what it said." }],
      score,
      rationale: `scored ${score}`,
      uncertainty,
    },
  };
}

export function agreeingJudges(score = 0.8): ScriptRule {
  return { caller: ["process_judge", "helpfulness_judge"], reply: judgeReply(score) };
}

export const validVerdict: ScriptRule = { caller: "validation", reply: { json: { valid: true, guidance: null } } };

export function isJudgeRequest(request: RecordedRequest): boolean {
  return request.callerRole === "process_judge" || request.callerRole === "helpfulness_judge";
}
