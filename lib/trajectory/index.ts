/**
 * The shared trajectory vocabulary: events, plans, statuses, usage, reward breakdowns and JSON helpers.
 * Zod only, so the browser, the engine, the database layer and the exporter all build on it.
 */
export * from "./events";
export * from "./json";
export * from "./plan";
export * from "./reward";
export * from "./status";
export * from "./usage";
