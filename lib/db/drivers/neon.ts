import "server-only";
import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { migrate } from "drizzle-orm/neon-serverless/migrator";
import ws from "ws";
import { readEnv } from "@/lib/server/env";
import * as schema from "../schema";
import type { DatabaseHandle } from "../types";
import { pooledHandle } from "./pooled-handle";

/**
 * Neon's serverless driver speaks Postgres over WebSocket. ATLAS_NEON_WS_PROXY points it at a plain
 * ws→tcp proxy (e.g. `127.0.0.1:5433/v1`) so it can reach a local PostgreSQL without TLS.
 */
function configureNeon(env: NodeJS.ProcessEnv) {
  // Node 20 has no global WebSocket.
  neonConfig.webSocketConstructor = ws;
  const proxy = readEnv("ATLAS_NEON_WS_PROXY", env);
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    // Local PostgreSQL authenticates with SCRAM, which the pipelined connect cannot do.
    neonConfig.pipelineConnect = false;
  }
}

export async function openNeon(url: string, env: NodeJS.ProcessEnv = process.env): Promise<DatabaseHandle> {
  configureNeon(env);
  const pool = new Pool({ connectionString: url, max: 10 });
  pool.on("error", () => undefined);
  return pooledHandle({ driver: "neon", url, db: drizzle({ client: pool, schema }), migrate, end: () => pool.end() });
}
