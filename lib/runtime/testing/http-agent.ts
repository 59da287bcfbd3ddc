/**
 * A local HTTP agent for the http_api example: answers `{data: {output}}` (the example's result_path)
 * and asks for its `search_knowledge_base` tool once in step 1.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface HttpAgent {
  url: string;
  bodies: Record<string, unknown>[];
  headers: Record<string, string | string[] | undefined>[];
  close(): Promise<void>;
}

export async function startHttpAgent(): Promise<HttpAgent> {
  const bodies: Record<string, unknown>[] = [];
  const headers: HttpAgent["headers"] = [];
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    bodies.push(body);
    headers.push(request.headers);
    const output = answer(String(body.prompt ?? ""), (body.metadata ?? {}) as Record<string, unknown>);
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ data: { output } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/agent`,
    bodies,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(prompt: string, metadata: Record<string, unknown>): string {
  if (metadata.tool) return JSON.stringify({ articles: ["KB-12: Resetting a password", "KB-40: Locked accounts"] });
  if (metadata.mode === "planning") {
    return JSON.stringify({
      steps: [
        { id: 1, description: "Search the knowledge base for the customer's problem", tool: "search_knowledge_base", tool_params: { query: "password reset" } },
        { id: 2, description: "Write the reply citing the articles", depends_on: [1] },
      ],
    });
  }
  if (metadata.mode === "synthesis") return "Summary: answered\nFinal Answer: Reset via KB-12.\nEvidence: steps 1, 2\nFollow-ups: None";
  const step = metadata.step as { id: number } | undefined;
  const messages = (metadata.messages ?? []) as { role: string }[];
  if (step?.id === 1 && !messages.some((message) => message.role === "tool")) {
    return JSON.stringify({ content: "searching", tool_calls: [{ name: "search_knowledge_base", arguments: { query: "password reset" } }] });
  }
  const guided = prompt.includes("Guidance History: [\n  \"");
  return JSON.stringify({ status: "ok", result: { deliverable: guided ? "KB-12 and KB-40 apply (cited)" : "KB-12 applies", artifacts: { step: step?.id } } });
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}
