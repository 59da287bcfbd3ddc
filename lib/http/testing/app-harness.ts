/**
 * The server in one process, for tests: a request goes through proxy.ts's handler and, when that lets
 * it through, to the route file Next would pick (found by walking app/api). Set the process database
 * environment (ATLAS_DATA_DIR=memory://, …) before the first request.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { handleProxyRequest } from "@/lib/http/proxy-handler";

export const APP_ROOT = path.resolve(import.meta.dirname, "../../..");
const API_DIR = path.join(APP_ROOT, "app", "api");

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface RouteFile {
  /** `app/api/sessions/[id]/cancel/route.ts` */
  file: string;
  /** Path segments as in the folder names: `["api", "sessions", "[id]", "cancel"]`. */
  segments: string[];
  module: Record<string, unknown>;
}

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Every app/api/**\/route.ts with its exports. */
export async function loadRouteFiles(): Promise<RouteFile[]> {
  const files = findRouteFiles(API_DIR);
  return Promise.all(
    files.map(async (file) => {
      const relative = path.relative(path.join(APP_ROOT, "app"), path.dirname(file));
      return { file: path.relative(APP_ROOT, file), segments: relative.split(path.sep), module: (await import(file)) as Record<string, unknown> };
    }),
  );
}

function findRouteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findRouteFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

export interface AppHarness {
  routes: RouteFile[];
  /** Sends a request the way the Next server would handle it. */
  fetch(request: Request): Promise<Response>;
}

export async function createAppHarness(): Promise<AppHarness> {
  const routes = await loadRouteFiles();
  return {
    routes,
    async fetch(request) {
      const proxied = handleProxyRequest(new NextRequest(request.clone()));
      if (proxied.headers.get("x-middleware-next") !== "1") return proxied;
      const url = new URL(request.url);
      const match = matchRoute(routes, url.pathname);
      if (!match) return Response.json({ error: { code: "not_found", message: "no such route" } }, { status: 404 });
      const method = request.method === "HEAD" ? "GET" : request.method;
      const handler = match.route.module[method] as RouteHandler | undefined;
      if (!handler) return new Response(null, { status: 405 });
      return handler(request, { params: Promise.resolve(match.params) });
    },
  };
}

function matchRoute(routes: RouteFile[], pathname: string): { route: RouteFile; params: Record<string, string | string[]> } | null {
  let parts: string[];
  try {
    parts = pathname.split("/").filter(Boolean).map((part) => decodeURIComponent(part));
  } catch {
    return null;
  }
  let best: { route: RouteFile; params: Record<string, string | string[]>; score: number } | null = null;
  for (const route of routes) {
    const params: Record<string, string | string[]> = {};
    let score = 0;
    let matched = true;
    for (let index = 0; index < route.segments.length; index += 1) {
      const segment = route.segments[index]!;
      const catchAll = segment.match(/^\[\.\.\.(\w+)\]$/);
      if (catchAll) {
        if (parts.length <= index) matched = false;
        else params[catchAll[1]!] = parts.slice(index);
        index = route.segments.length;
        break;
      }
      const part = parts[index];
      if (part === undefined) {
        matched = false;
        break;
      }
      const dynamic = segment.match(/^\[(\w+)\]$/);
      if (dynamic) params[dynamic[1]!] = part;
      else if (segment === part) score += 1;
      else {
        matched = false;
        break;
      }
    }
    const catchAllRoute = route.segments.some((segment) => segment.startsWith("[..."));
    if (matched && (catchAllRoute || parts.length === route.segments.length) && (!best || score > best.score)) {
      best = { route, params, score };
    }
  }
  return best ? { route: best.route, params: best.params } : null;
}
