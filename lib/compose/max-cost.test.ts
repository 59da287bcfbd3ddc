/**
 * `orchestration.max_cost_usd`: a session whose LLM calls cost more than the cap stops, failed, with
 * the reason in its terminal event; without a cap the same session succeeds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText, type AtlasConfig } from "@/lib/config";
import { demoRules, startScriptedLlm, type ScriptedLlm } from "@/lib/llm/scripted";
import { SCRIPTED_KEY_ENV, scriptedConfigYaml } from "@/lib/runs/testing/harness";
import type { TrajectoryEvent } from "@/lib/trajectory";
import { runTask } from "./run-task";

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm({ rules: demoRules(), defaultLatencyMs: 1 });
});
afterAll(async () => {
  await llm?.close();
});

/** Priced model names, so the scripted replies' token usage costs something. */
function pricedConfig(maxCost: string | null): AtlasConfig {
  let yaml = scriptedConfigYaml(llm.url).replace(/model: [a-z-]+/g, "model: gpt-4o-mini");
  if (maxCost !== null) yaml = yaml.replace("orchestration:\n", `orchestration:\n  max_cost_usd: ${maxCost}\n`);
  const parsed = parseConfigText(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

async function run(config: AtlasConfig) {
  const events: TrajectoryEvent[] = [];
  const result = await runTask({ task: "Plan a budget offsite", config, store: "none", env: { [SCRIPTED_KEY_ENV]: "k" } as unknown as NodeJS.ProcessEnv, onEvent: (event) => events.push(event) });
  return { result, events };
}

describe("orchestration.max_cost_usd", () => {
  it("stops a session that exceeds the cap, failed, naming the cap and what was spent", async () => {
    const uncapped = await run(pricedConfig(null));
    expect(uncapped.result.status).toBe("succeeded");
    const spent = uncapped.events.filter((event) => event.type === "llm.call").reduce((sum, event) => sum + (event as { costUsd: number }).costUsd, 0);
    expect(spent).toBeGreaterThan(0);

    // A cap below what the whole session costs, above its first call.
    const { result, events } = await run(pricedConfig(String(spent / 2)));
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/more than orchestration\.max_cost_usd \(\$[\d.e-]+\), so it was stopped/);
    const terminal = events.at(-1)!;
    expect(terminal.type).toBe("session.failed");
    expect(JSON.stringify(terminal)).toContain("orchestration.max_cost_usd");
    const calls = events.filter((event) => event.type === "llm.call").length;
    expect(calls).toBeLessThan(uncapped.events.filter((event) => event.type === "llm.call").length);
  });

  it("accepts only a positive number or null", () => {
    expect(parseConfigText(scriptedConfigYaml(llm.url).replace("orchestration:\n", "orchestration:\n  max_cost_usd: 0\n")).ok).toBe(false);
    expect(pricedConfig(null).orchestration.max_cost_usd).toBeNull();
  });
});
