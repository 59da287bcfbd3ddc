/**
 * The agent half of the check: what `agent` resolves to and whether it loads (the module imports and
 * exports a function; the python callable imports). With `ping`, an http_api agent's endpoint is connected
 * to (a TCP connection, no request: a request could make the agent do real work).
 */
import "server-only";
import { connect } from "node:net";
import path from "node:path";
import type { AgentConfig } from "@/lib/config";
import type { Environment } from "@/lib/config/env-refs";
import { errorMessage } from "@/lib/errors";
import { describeConnectionFailure } from "@/lib/llm/connection-error";
import type { AgentCheck } from "./report";

export interface AgentCheckOptions {
  env: Environment;
  /** Where relative agent paths resolve from. */
  baseDir: string;
  ping: boolean;
}

export async function checkAgent(agent: AgentConfig, options: AgentCheckOptions): Promise<{ check: AgentCheck; problems: string[] }> {
  const check = await describeAgent(agent, options);
  const problems = check.error === null ? [] : [`agent (${agent.type}): ${check.error}`];
  return { check, problems };
}

async function describeAgent(agent: AgentConfig, options: AgentCheckOptions): Promise<AgentCheck> {
  switch (agent.type) {
    case "openai":
    case "litellm":
      return { type: agent.type, resolves_to: "agent.llm", details: { model: agent.llm.model }, loads: null, error: null };
    case "http_api": {
      const url = agent.transport.base_url;
      if (!options.ping) return { type: agent.type, resolves_to: url, details: {}, loads: null, error: null };
      const failure = await tcpFailure(url);
      return { type: agent.type, resolves_to: url, details: {}, loads: failure === null, error: failure === null ? null : `cannot reach ${url}: ${failure}` };
    }
    case "module": {
      const { checkModuleAgent } = await import("@/lib/adapters/module");
      const file = path.resolve(options.baseDir, agent.module);
      const details = { export: agent.export, base_dir: options.baseDir };
      try {
        await checkModuleAgent(agent, { baseDir: options.baseDir });
        return { type: agent.type, resolves_to: file, details, loads: true, error: null };
      } catch (error) {
        return { type: agent.type, resolves_to: file, details, loads: false, error: errorMessage(error) };
      }
    }
    case "python": {
      const { checkPythonAgent } = await import("@/lib/adapters/python");
      const target = `${agent.import_path}:${agent.attribute ?? "main"}`;
      const details: Record<string, string | null> = {
        working_directory: path.resolve(options.baseDir, agent.working_directory ?? "."),
        interpreter: options.env.ATLAS_PYTHON || "python3",
      };
      try {
        await checkPythonAgent(agent, { env: options.env, baseDir: options.baseDir });
        return { type: agent.type, resolves_to: target, details, loads: true, error: null };
      } catch (error) {
        // The worker's message ends with the Python traceback; its first line says what failed.
        return { type: agent.type, resolves_to: target, details, loads: false, error: errorMessage(error).split("\n")[0] ?? "" };
      }
    }
  }
}

/** Null when a TCP connection to the URL's host and port opens, else why not. */
function tcpFailure(url: string): Promise<string | null> {
  const parsed = new URL(url);
  const port = Number(parsed.port) || (parsed.protocol === "https:" ? 443 : 80);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(null);
    });
    socket.once("error", (error) => {
      socket.destroy();
      resolve(describeConnectionFailure(error));
    });
  });
}
