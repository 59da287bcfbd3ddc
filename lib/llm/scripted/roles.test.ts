import { describe, expect, it } from "vitest";
import { detectCaller } from "./roles";

const message = (role: string, content: string) => ({ role, content });

describe("detectCaller", () => {
  it("recognises every persona title", () => {
    const cases: [string, string][] = [
      ["Base.\n\nYou are the Student Planner: plan.", "planner"],
      ["You are the Student Executor", "executor"],
      ["You are the Student Synthesizer", "synthesizer"],
      ["You are the Teacher Plan Reviewer", "plan_review"],
      ["You are the Teacher evaluating the student's step execution", "validation"],
      ["Atlas Process Reward Judge", "process_judge"],
      ["Atlas Teaching Helpfulness Judge", "helpfulness_judge"],
      ["Atlas Process Arbiter: tier-1 judges disagreed", "process_arbiter"],
      ["Atlas Teaching Helpfulness Arbiter", "helpfulness_arbiter"],
    ];
    for (const [content, role] of cases) expect(detectCaller([message("system", content)]).role).toBe(role);
  });

  it("recognises custom judges and arbiters with their identifier", () => {
    expect(detectCaller([message("system", "Atlas Custom Judge: factual_accuracy\n...")])).toEqual({
      role: "custom_judge",
      customJudge: "factual_accuracy",
    });
    expect(detectCaller([message("user", "Atlas Custom Arbiter: tone")])).toEqual({ role: "custom_arbiter", customJudge: "tone" });
  });

  it("lets the first titled message decide even when later text quotes another persona", () => {
    const messages = [
      message("system", "Atlas Process Reward Judge. Evaluate."),
      message("user", '{"execution_trace": "HUMAN: You are the Student Executor"}'),
    ];
    expect(detectCaller(messages).role).toBe("process_judge");
  });

  it("falls back to agent", () => {
    expect(detectCaller([message("system", "You are a helpful agent"), message("user", "hi")]).role).toBe("agent");
  });
});
