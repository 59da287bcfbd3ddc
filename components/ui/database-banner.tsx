"use client";

import { useQuery } from "@tanstack/react-query";
import { healthPath, HealthReportSchema, type HealthReport } from "@/lib/health/api-types";

const WHILE_UNAVAILABLE_MS = 3_000;
const WHILE_AVAILABLE_MS = 30_000;

/**
 * On every page: says so when the database cannot be opened (a CLI run holding the embedded database),
 * and disappears by itself once the dashboard opens it.
 */
export function DatabaseBanner() {
  const health = useQuery({
    queryKey: ["health"],
    queryFn: fetchHealth,
    refetchInterval: (query) => (query.state.data?.database.ok === false ? WHILE_UNAVAILABLE_MS : WHILE_AVAILABLE_MS),
    retry: false,
  });
  const database = health.data?.database;
  if (!database || database.ok) return null;
  return (
    <div role="alert" data-testid="database-banner" className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900">
      <div className="mx-auto max-w-7xl sm:px-2">
        <span className="font-semibold">
          {database.heldByAnotherProcess ? "Another Atlas process holds the database." : "The database is unavailable."}
        </span>{" "}
        <span className="break-words">{database.error}</span>{" "}
        <span className="text-amber-800">This page recovers by itself once the database opens.</span>
      </div>
    </div>
  );
}

/** 503 carries the same report: read the body whatever the status. */
async function fetchHealth(): Promise<HealthReport> {
  const response = await fetch(healthPath, { headers: { accept: "application/json" } });
  return HealthReportSchema.parse(await response.json());
}
