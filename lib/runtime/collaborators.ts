/**
 * What the engine is given instead of building it: the teacher's LLM client, the reward evaluator
 * and the agent adapter. They need hooks only the engine has (the run's event recorder), so the caller
 * passes a factory and the engine calls it once per session with those hooks (lib/compose builds the
 * factory from a config).
 */
import type { AgentAdapter } from "@/lib/adapters/types";
import type { LlmCallRecorder, LlmClient } from "@/lib/llm/types";
import type { EmitEvent, RewardEvaluator } from "@/lib/reward/types";

export interface EngineHooks {
  /** Records one LLM call as an `llm.call` event and adds it to the session's usage. */
  recordLlmCall: LlmCallRecorder;
  /**
   * Resolves once every event emitted so far is stored or in the write in flight. Every request that
   * leaves the process (the teacher's and the judges' model requests) must await it first.
   */
  handedOff: () => Promise<void>;
  /** Emits an event into the session's trajectory (the evaluator's judge samples and decisions). */
  emit: EmitEvent;
}

export interface EngineCollaborators {
  /** The teacher's model (plan review and step validation); built with `beforeRequest: hooks.handedOff`. */
  teacherLlm: LlmClient;
  /** Built with `beforeRequest: hooks.handedOff` and `emit: hooks.emit`. */
  evaluator: RewardEvaluator;
  /** The agent; the engine itself holds every call until `handedOff()` resolves. */
  adapter: AgentAdapter;
  /** Called once when the session is over: releases what the factory opened (e.g. the python worker). */
  close(): Promise<void>;
}

export type CollaboratorFactory = (hooks: EngineHooks) => EngineCollaborators | Promise<EngineCollaborators>;
