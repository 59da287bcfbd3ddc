/** React Query factories and requests for the export API (browser side). */
import { queryOptions } from "@tanstack/react-query";
import type { ImportResponseBody } from "@/lib/export/http";
import type { SelectionCount } from "@/lib/export/types";
import { fetchJson } from "@/lib/http/api-client";

export const exportKeys = {
  all: ["export"] as const,
  count: (query: string) => [...exportKeys.all, "count", query] as const,
};

export function exportCountQuery(query: string) {
  return queryOptions({
    queryKey: exportKeys.count(query),
    queryFn: ({ signal }) => fetchJson<SelectionCount>(`/api/export/count${query ? `?${query}` : ""}`, { signal }),
    staleTime: 5_000,
  });
}

/** Sends the file as the request body, streamed by the browser; the server reads it line by line. */
export function importFile(file: File): Promise<ImportResponseBody> {
  return fetchJson<ImportResponseBody>("/api/import", {
    method: "POST",
    body: file,
    headers: { "content-type": "application/x-ndjson" },
  });
}
