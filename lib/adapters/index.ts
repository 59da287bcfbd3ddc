/**
 * Adapter registry and factory: `createAdapter(config.agent, context)` picks the adapter by `type`.
 */
import type { AgentConfig, AgentType } from "@/lib/config";
import { AtlasError } from "@/lib/errors";
import { createHttpAdapter } from "./http";
import { createModuleAdapter } from "./module";
import { createOpenAIAdapter } from "./openai";
import { createPythonAdapter } from "./python";
import type { AdapterContext, AgentAdapter } from "./types";

export type * from "./types";

/** The agent configs a factory registered for `T` receives (`openai` and `litellm` share one config type). */
export type AgentConfigOfType<T extends AgentType> = AgentConfig extends infer Config
  ? Config extends { type: infer Types }
    ? T extends Types
      ? Config
      : never
    : never
  : never;

export type AdapterFactory<T extends AgentType = AgentType> = (
  config: AgentConfigOfType<T>,
  context: AdapterContext,
) => AgentAdapter;

const factories = new Map<string, (config: AgentConfig, context: AdapterContext) => AgentAdapter>();

/** Registers (or, like upstream, silently replaces) the factory for an adapter type. */
export function registerAdapter<T extends AgentType>(type: T, factory: AdapterFactory<T>): void {
  factories.set(type, factory as (config: AgentConfig, context: AdapterContext) => AgentAdapter);
}

export function createAdapter(config: AgentConfig, context: AdapterContext): AgentAdapter {
  const type: unknown = config.type;
  const factory = typeof type === "string" ? factories.get(type) : undefined;
  if (!factory) {
    throw new AtlasError("invalid_config", `no adapter registered for type ${String(type)}`, {
      issues: [{ path: "agent.type", message: `no adapter registered for type ${String(type)}` }],
    });
  }
  return factory(config, context);
}

registerAdapter("http_api", createHttpAdapter);
registerAdapter("python", createPythonAdapter);
registerAdapter("module", createModuleAdapter);
registerAdapter("openai", createOpenAIAdapter);
registerAdapter("litellm", createOpenAIAdapter);
