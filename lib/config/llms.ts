/**
 * The LLMs Atlas itself calls for a config, by config path. A python agent's `llm` is not among them:
 * it is handed to the callable, which makes its own calls.
 * Browser-safe: no Node imports.
 */
import type { LLMParameters } from "./llm-schema";
import type { AtlasConfig } from "./schema";

export interface ConfiguredLlm {
  path: "teacher.llm" | "rim.small_model" | "rim.large_model" | "agent.llm";
  llm: LLMParameters;
}

export function configuredLlms(config: AtlasConfig): ConfiguredLlm[] {
  const llms: ConfiguredLlm[] = [
    { path: "teacher.llm", llm: config.teacher.llm },
    { path: "rim.small_model", llm: config.rim.small_model },
    { path: "rim.large_model", llm: config.rim.large_model },
  ];
  const { agent } = config;
  if (agent.type === "openai" || agent.type === "litellm") llms.push({ path: "agent.llm", llm: agent.llm });
  return llms;
}
