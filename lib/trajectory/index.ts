/**
 * The shared trajectory vocabulary: events, plans, statuses, usage, reward breakdowns and JSON helpers,
 * the session state events project into, and that projection. Zod only, so the browser, the engine,
 * the database layer and the exporter all build on it.
 */
export * from "./calls";
export * from "./events";
export * from "./json";
export * from "./plan";
export * from "./projection";
export * from "./reward";
export * from "./session-state";
export * from "./session-totals";
export * from "./status";
export * from "./usage";
export * from "./session-reward";
