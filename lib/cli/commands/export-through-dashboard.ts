/**
 * `atlas export` while the dashboard holds the embedded database: the same filters are sent to the
 * dashboard's `/api/export` (and `/api/export/count` for the totals), so nothing opens the folder twice.
 */
import { AtlasError, errorMessage } from "@/lib/errors";
import type { ExportStats } from "@/lib/export/stream";
import { readEnv } from "@/lib/server/env";
import type { CommandIO } from "../io";

export interface DashboardExport {
  /** The dashboard's base URL, from the lock it holds. */
  url: string;
  /** The filters as query parameters (the names the filter schema and `/api/export` share). */
  query: Record<string, unknown>;
  io: CommandIO;
  signal: AbortSignal;
}

export async function exportChunksThroughDashboard(request: DashboardExport, stats: ExportStats): Promise<AsyncIterable<string>> {
  const search = searchParams(request.query);
  const headers = authorization(request.io);
  const count = (await readJson(await get(`${request.url}/api/export/count?${search}`, headers, request.signal))) as {
    sessions: number;
    steps: number;
  };
  const response = await get(`${request.url}/api/export?${search}`, headers, request.signal);
  if (!response.body) throw new AtlasError("unavailable", `the dashboard at ${request.url} sent no export body`);
  stats.sessions = count.sessions;
  stats.steps = count.steps;
  return countedLines(response.body, stats);
}

async function* countedLines(body: ReadableStream<Uint8Array>, stats: ExportStats): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const bytes of body) {
    const text = decoder.decode(bytes, { stream: true });
    stats.lines += text.split("\n").length - 1;
    yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

function searchParams(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  return params.toString();
}

function authorization(io: CommandIO): Record<string, string> {
  const token = readEnv("ATLAS_TOKEN", io.env);
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function get(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal });
  } catch (error) {
    throw new AtlasError("unavailable", `the dashboard holds the embedded database but does not answer at ${new URL(url).origin}: ${errorMessage(error)}`);
  }
  if (response.ok) return response;
  const body = (await readJson(response).catch(() => null)) as { error?: { message?: string } } | null;
  const reason = body?.error?.message ?? `HTTP ${response.status}`;
  const hint = response.status === 401 ? " (set ATLAS_TOKEN to the dashboard's token)" : "";
  throw new AtlasError(response.status === 400 ? "invalid_input" : "unavailable", `the dashboard refused the export: ${reason}${hint}`);
}

async function readJson(response: Response): Promise<unknown> {
  return response.json();
}
