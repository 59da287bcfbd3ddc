/**
 * The engine's public surface (Node only): run a task, and the pieces other modules build on.
 */
export { run, type RunOptions } from "./run";
export type { NewSessionInput, SessionStore } from "./store";
export { EventRecorder, type EventListener, type EventRecorderOptions, type EventSink } from "./recorder";
export { createConsoleRenderer, type ConsoleRenderer } from "./console";
export { PlanGraph } from "./plan-graph";
export { buildPersonaPrompts, buildStudentPrompts, buildTeacherPrompts, PERSONA_TITLES } from "./prompts";
export { RunFailure } from "./failures";
export { isOkStatus } from "./retry-rule";
export type { RunResult } from "./types";
