/**
 * Starts what the e2e runs talk to — the scripted OpenAI-compatible server and a tiny HTTP agent —
 * and saves the fixture configs through the configs API (Playwright starts the web server first).
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FullConfig } from "@playwright/test";
import { startScriptedLlm } from "@/lib/llm/scripted/server";
import { E2E_CONFIGS, E2E_LLM_PORT, E2E_AGENT_PORT, e2eLlmUrl } from "./fixtures/e2e-env";
import { e2eRules } from "./fixtures/scripted-rules";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const llm = await startScriptedLlm({ port: E2E_LLM_PORT, rules: e2eRules(), recordLimit: 500 });
  const agent = await startHttpAgent(E2E_AGENT_PORT);
  const baseURL = config.projects[0]?.use.baseURL ?? `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
  for (const [name, file] of Object.entries(E2E_CONFIGS)) await saveConfig(baseURL, name, fixtureYaml(file));
  return async () => {
    await new Promise<void>((resolve) => agent.close(() => resolve()));
    await llm.close();
  };
}

function fixtureYaml(file: string): string {
  return readFileSync(path.join(fixtures, "configs", file), "utf8")
    .replaceAll("__E2E_LLM_URL__", e2eLlmUrl())
    .replaceAll("__E2E_AGENT_URL__", `http://127.0.0.1:${E2E_AGENT_PORT}/agent`)
    .replaceAll("__E2E_AGENTS_DIR__", path.join(fixtures, "agents"));
}

async function saveConfig(baseURL: string, name: string, yaml: string): Promise<void> {
  const response = await fetch(`${baseURL}/api/configs/${name}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ yaml, description: `e2e fixture ${name}` }),
  });
  if (!response.ok) throw new Error(`saving e2e config ${name} failed with ${response.status}: ${await response.text()}`);
}

/** The http_api agent under test: forwards {prompt} to the scripted server and answers {output}. */
function startHttpAgent(port: number): Promise<Server> {
  const server = createServer(async (request, response) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { prompt?: string; metadata?: { tool?: { name: string } } };
      const tool = body.metadata?.tool;
      const output = tool ? `e2e tool ${tool.name} result` : await forward(body.prompt ?? "");
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ output }));
    } catch (error) {
      response.writeHead(502, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: String(error) }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

async function forward(prompt: string): Promise<string> {
  const response = await fetch(`${e2eLlmUrl()}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "e2e-agent", temperature: 0, messages: [{ role: "user", content: prompt }] }),
  });
  const body = (await response.json()) as { choices?: { message?: { content?: string } }[]; error?: { message?: string } };
  if (!response.ok) throw new Error(`scripted server answered ${response.status}: ${body.error?.message ?? ""}`);
  return body.choices?.[0]?.message?.content ?? "";
}
