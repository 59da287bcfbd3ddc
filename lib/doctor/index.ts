/**
 * `atlas doctor` and the launch page's check: the whole report for one validated config.
 */
import type { AtlasConfig } from "@/lib/config";
import type { Environment } from "@/lib/config/env-refs";
import { configuredLlms } from "@/lib/config/llms";
import { checkAgent } from "./agent";
import { checkLlm } from "./llms";
import type { DoctorReport } from "./report";

export * from "./report";

export interface DoctorOptions {
  env: Environment;
  /** Where relative agent paths resolve from (the config file's folder, or the configs directory). */
  baseDir: string;
  /** One tiny request per LLM and a connection to an http_api agent. */
  ping?: boolean;
}

export async function diagnoseConfig(config: AtlasConfig, options: DoctorOptions): Promise<DoctorReport> {
  const ping = options.ping ?? false;
  const [llms, agent] = await Promise.all([
    Promise.all(configuredLlms(config).map((entry) => checkLlm(entry, options.env, ping))),
    checkAgent(config.agent, { env: options.env, baseDir: options.baseDir, ping }),
  ]);
  return {
    llms: llms.map((entry) => entry.check),
    agent: agent.check,
    problems: [...llms.flatMap((entry) => entry.problems), ...agent.problems],
  };
}
