/** React Query factories and requests for the configs API (browser side). */
import { queryOptions } from "@tanstack/react-query";
import type {
  ConfigDetail,
  ConfigSummary,
  ConfigValidation,
  SaveConfigRequest,
  SaveConfigResult,
} from "@/lib/configs/types";
import { fetchJson } from "@/lib/http/api-client";

export const configKeys = {
  all: ["configs"] as const,
  list: () => [...configKeys.all, "list"] as const,
  detail: (name: string) => [...configKeys.all, "detail", name] as const,
  version: (name: string, version: number) => [...configKeys.all, "version", name, version] as const,
};

/** Names contain "/", which stays a path separator (the route is a catch-all); each part is encoded. */
export function configUrl(name: string): string {
  return `/api/configs/${name.split("/").map(encodeURIComponent).join("/")}`;
}

export function configListQueryOptions() {
  return queryOptions({
    queryKey: configKeys.list(),
    queryFn: async () => (await fetchJson<{ configs: ConfigSummary[] }>("/api/configs")).configs,
  });
}

export function configQueryOptions(name: string) {
  return queryOptions({
    queryKey: configKeys.detail(name),
    queryFn: () => fetchJson<ConfigDetail>(configUrl(name)),
  });
}

/** Versions never change, so one fetch is enough. */
export function configVersionQueryOptions(name: string, version: number) {
  return queryOptions({
    queryKey: configKeys.version(name, version),
    queryFn: () => fetchJson<ConfigDetail>(`${configUrl(name)}?version=${version}`),
    staleTime: Infinity,
  });
}

export function saveConfig(name: string, body: SaveConfigRequest): Promise<SaveConfigResult> {
  return fetchJson<SaveConfigResult>(configUrl(name), { method: "PUT", body: JSON.stringify(body) });
}

export function validateConfigOnServer(yaml: string): Promise<ConfigValidation> {
  return fetchJson<ConfigValidation>("/api/configs/validate", { method: "POST", body: JSON.stringify({ yaml }) });
}
