/**
 * The composition root: the one place the engine (lib/runtime) is put together with its collaborators
 * (LLM clients, reward evaluator, agent adapter, session store). Node only. Run a task with
 * `runTask()`; stop it by aborting its signal with `cancelRun()` or `shutdownRun()`.
 */
import "server-only";
export { runTask, type RunTaskOptions } from "./run-task";
export { configuredCollaborators, type CollaboratorOptions } from "./collaborators";
export { sessionStoreFor, type SessionTarget } from "./session-target";
export { runSession, type SessionInput } from "@/lib/runtime/run-session";
export type { CollaboratorFactory, EngineCollaborators, EngineHooks } from "@/lib/runtime/collaborators";
export { cancelRun, RunStop, shutdownRun, stopOf, type StopKind, type StopReason } from "@/lib/runtime/stop";
export { noSessionStore, type NewSessionInput, type SessionStore } from "@/lib/runtime/store";
export type { RunResult } from "@/lib/runtime/types";
