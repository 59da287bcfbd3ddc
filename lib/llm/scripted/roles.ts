/**
 * Recognises the caller of a chat request by the persona title its prompt carries.
 */
import type { CallerRole, RecordedMessage } from "./types";

const TITLES: readonly (readonly [string, CallerRole])[] = [
  ["You are the Student Planner", "planner"],
  ["You are the Student Executor", "executor"],
  ["You are the Student Synthesizer", "synthesizer"],
  ["You are the Teacher Plan Reviewer", "plan_review"],
  ["You are the Teacher evaluating the student's step execution", "validation"],
  ["Atlas Process Reward Judge", "process_judge"],
  ["Atlas Teaching Helpfulness Judge", "helpfulness_judge"],
  ["Atlas Process Arbiter", "process_arbiter"],
  ["Atlas Teaching Helpfulness Arbiter", "helpfulness_arbiter"],
];

const CUSTOM_TITLE = /Atlas Custom (Judge|Arbiter): ([A-Za-z0-9_-]+)/;

export interface Caller {
  role: CallerRole;
  customJudge: string | null;
}

/**
 * The first message that carries a title decides, and within it the earliest title: a judge's system
 * prompt comes first even when the trace it quotes mentions another persona.
 */
export function detectCaller(messages: readonly RecordedMessage[]): Caller {
  for (const message of messages) {
    const found = earliestTitle(message.content);
    if (found) return found;
  }
  return { role: "agent", customJudge: null };
}

function earliestTitle(text: string): Caller | null {
  let best: { at: number; caller: Caller } | null = null;
  for (const [title, role] of TITLES) {
    const at = text.indexOf(title);
    if (at >= 0 && (best === null || at < best.at)) best = { at, caller: { role, customJudge: null } };
  }
  const custom = CUSTOM_TITLE.exec(text);
  if (custom && (best === null || custom.index < best.at)) {
    const role: CallerRole = custom[1] === "Judge" ? "custom_judge" : "custom_arbiter";
    best = { at: custom.index, caller: { role, customJudge: custom[2] ?? null } };
  }
  return best?.caller ?? null;
}
