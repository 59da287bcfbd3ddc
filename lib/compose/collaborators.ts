/**
 * Builds the engine's collaborators from a config: the teacher's LLM client, the reward evaluator and
 * the agent adapter, each wired to the hooks the engine hands over (LLM calls become `llm.call`
 * events; no model request leaves before the events that led to it are on their way to the store).
 */
import "server-only";
import { createAdapter } from "@/lib/adapters";
import type { AgentAdapter } from "@/lib/adapters/types";
import type { AtlasConfig } from "@/lib/config";
import { createLlmClient } from "@/lib/llm/client";
import { createRewardEvaluator } from "@/lib/reward/evaluator";
import type { CollaboratorFactory } from "@/lib/runtime/collaborators";

export interface CollaboratorOptions {
  /** Where API keys and `${VAR}` headers are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Relative agent paths resolve from here (default: the working directory). */
  baseDir?: string;
  /** Folders python and module agents may load code from (the server's ATLAS_AGENT_PATHS); unset: anywhere. */
  codeRoots?: readonly string[];
  /** Use this agent instead of building one from `config.agent`; the caller closes it. */
  adapter?: AgentAdapter;
}

export function configuredCollaborators(config: AtlasConfig, options: CollaboratorOptions = {}): CollaboratorFactory {
  const env = options.env ?? process.env;
  const baseDir = options.baseDir ?? process.cwd();
  return (hooks) => {
    const llmOptions = { env, recorder: hooks.recordLlmCall, beforeRequest: hooks.handedOff };
    const teacherLlm = createLlmClient(config.teacher.llm, { ...llmOptions, label: "teacher.llm" });
    const evaluator = createRewardEvaluator(config.rim, { ...llmOptions, emit: hooks.emit });
    // Built last, so nothing after it can fail and leave its worker behind.
    const adapter = options.adapter ?? createAdapter(config.agent, { env, baseDir, codeRoots: options.codeRoots, recorder: hooks.recordLlmCall });
    return {
      teacherLlm,
      evaluator,
      adapter,
      close: options.adapter ? async () => undefined : () => adapter.close(),
    };
  };
}
