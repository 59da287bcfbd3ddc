/**
 * The environment variables the request guards and the code-loading rule read. Read at call time, so a
 * test (or the CLI) can change them; every other module asks here instead of reading process.env.
 */
import { readEnv } from "./env";

export interface SecurityEnv {
  /** `ATLAS_TOKEN`: when set, every request but the health check and the login needs it. */
  token: string | undefined;
  /** `HOST`: the address the server is bound to. */
  host: string;
  /**
   * `ATLAS_PUBLIC_ORIGIN`: origins (comma-separated) the dashboard is also reached at, e.g. behind a reverse
   * proxy (`https://atlas.example.com`). Their host names are accepted in `Host`, the origins in `Origin`.
   */
  publicOrigins: string[];
  /**
   * `ATLAS_AGENT_PATHS`: folders (separated by the platform's path delimiter, `:` on Unix) that python and
   * module agents may load code from; null when unset (the default folders apply).
   */
  agentPaths: string[] | null;
}

export function securityEnv(env: Readonly<Record<string, string | undefined>> = process.env): SecurityEnv {
  const agentPaths = readEnv("ATLAS_AGENT_PATHS", env);
  return {
    token: readEnv("ATLAS_TOKEN", env)?.trim() || undefined,
    host: readEnv("HOST", env),
    publicOrigins: readEnv("ATLAS_PUBLIC_ORIGIN", env),
    agentPaths: agentPaths.length > 0 ? agentPaths : null,
  };
}
