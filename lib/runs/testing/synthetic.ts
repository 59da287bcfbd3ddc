/**
 * Synthetic sessions for stream tests and the stream benchmark: the engine's own recorder (store
 * write, then listeners) fed with made-up events, so the write→publish path is the real one.
 */
import { createSession } from "@/lib/db/queries/sessions";
import { databaseSessionStore } from "@/lib/db/session-store";
import type { AtlasDb } from "@/lib/db/types";
import { emptyUsage, type EventInput, type TrajectoryEvent } from "@/lib/trajectory";
import { EventRecorder } from "@/lib/runtime/recorder";

/** `count` events: session.started, llm.call filler, session.completed (count ≥ 2). */
export function syntheticEventInputs(count: number, task = "synthetic task"): EventInput[] {
  const inputs: EventInput[] = [
    { type: "session.started", actor: "system", task, configName: null, configHash: null, metadata: {} },
  ];
  for (let index = 1; index < count - 1; index += 1) inputs.push(syntheticLlmCall(index));
  inputs.push({
    type: "session.completed",
    actor: "system",
    finalAnswer: "done",
    executionMode: "stepwise",
    usage: emptyUsage(),
    durationMs: 1,
  });
  return inputs;
}

export function syntheticLlmCall(index: number): EventInput {
  return {
    type: "llm.call",
    actor: index % 2 === 0 ? "teacher" : "student",
    stage: `stage-${index}`,
    model: "synthetic-model",
    latencyMs: index % 100,
    promptTokens: 10,
    completionTokens: 5,
    reasoningTokens: 0,
    costUsd: 0,
    tries: 1,
    error: null,
  };
}

export async function createSyntheticSession(db: AtlasDb, task = "synthetic task"): Promise<number> {
  return (await createSession(db, { task, status: "running" })).id;
}

/** A recorder writing to the database and then telling `listener`, exactly as the engine does. */
export function syntheticRecorder(
  db: AtlasDb,
  sessionId: number,
  listener: (event: TrajectoryEvent) => void,
): EventRecorder {
  const store = databaseSessionStore(db);
  return new EventRecorder({ sessionId, sink: (events) => store.write(events), listeners: [listener] });
}

/** Writes a whole finished session; returns its id and stored events. */
export async function seedFinishedSession(db: AtlasDb, count: number): Promise<{ sessionId: number; events: TrajectoryEvent[] }> {
  const sessionId = await createSyntheticSession(db);
  const recorder = syntheticRecorder(db, sessionId, () => undefined);
  const events: TrajectoryEvent[] = [];
  for (const input of syntheticEventInputs(count)) events.push(await recorder.emit(input));
  return { sessionId, events };
}
