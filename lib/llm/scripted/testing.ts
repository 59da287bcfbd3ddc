/**
 * The scripted server for one test file: started before its tests, reset (requests forgotten, the
 * starting rules back) before each test, closed after the last.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startScriptedLlm } from "./server";
import type { ScriptedLlm, ScriptedLlmOptions } from "./types";

export function scriptedLlmPerFile(options: ScriptedLlmOptions = {}): ScriptedLlm {
  let started: ScriptedLlm | null = null;
  const current = () => {
    if (!started) throw new Error("the scripted LLM starts in beforeAll: use it inside hooks and tests");
    return started;
  };
  beforeAll(async () => {
    started = await startScriptedLlm(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(() => started?.reset());
  return {
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    setRules: (rules) => current().setRules(rules),
    addRules: (rules) => current().addRules(rules),
    openGate: (name) => current().openGate(name),
    reset: () => current().reset(),
    close: () => current().close(),
  };
}
