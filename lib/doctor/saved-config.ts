/**
 * The launch page's check: `atlas doctor` for a saved config or an example, by name, with the server's
 * environment and the base directory runs of that config use.
 */
import "server-only";
import type { Environment } from "@/lib/config/env-refs";
import { configsBaseDir, getConfig, parseOnServer } from "@/lib/configs";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import { diagnoseConfig } from "./index";
import type { DoctorReport, DoctorRequest } from "./report";

export async function diagnoseNamedConfig(db: AtlasDb, request: DoctorRequest, env: Environment): Promise<DoctorReport> {
  const { name } = request.config;
  const detail = await getConfig(db, name);
  // The server's rules first (agent code only from ATLAS_AGENT_PATHS): the check loads the agent's code.
  const parsed = parseOnServer(detail.yaml);
  if (!parsed.ok) throw new AtlasError("invalid_config", `config ${name} is invalid`, { issues: parsed.issues });
  return diagnoseConfig(parsed.config, { env, baseDir: configsBaseDir(), ping: request.ping });
}
