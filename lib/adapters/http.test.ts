import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HttpAgentConfigSchema, type HttpAgentConfig } from "@/lib/config";
import { rejection } from "@/lib/testing/rejection";
import { createHttpAdapter } from "./http";
import { invokeAdapter } from "./testing";
import type { AgentCallMetadata, StepMetadata } from "./types";

interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: unknown;
  receivedAt: number;
}

type Responder = (request: ReceivedRequest, response: ServerResponse, index: number) => void;

/** A local agent that records every request and answers with whatever the current test scripts. */
class TestAgentServer {
  readonly requests: ReceivedRequest[] = [];
  private responder: Responder = (_request, response) => json(response, 200, { output: "ok" });
  private readonly server: Server;
  private readonly heldResponses = new Set<ServerResponse>();
  private requestWaiters: (() => void)[] = [];

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const received: ReceivedRequest = {
          method: request.method ?? "",
          url: request.url ?? "",
          headers: request.headers,
          body: text === "" ? undefined : JSON.parse(text),
          receivedAt: performance.now(),
        };
        this.requests.push(received);
        this.heldResponses.add(response);
        response.on("close", () => this.heldResponses.delete(response));
        this.responder(received, response, this.requests.length - 1);
        for (const wake of this.requestWaiters.splice(0)) wake();
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
  }

  url(path = "/agent"): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${path}`;
  }

  respond(responder: Responder): void {
    this.responder = responder;
  }

  reset(): void {
    this.requests.length = 0;
    this.dropHeldResponses();
    this.respond((_request, response) => json(response, 200, { output: "ok" }));
  }

  /** Resolves once at least `count` requests have arrived. */
  async waitForRequests(count: number): Promise<void> {
    while (this.requests.length < count) {
      await new Promise<void>((resolve) => this.requestWaiters.push(resolve));
    }
  }

  dropHeldResponses(): void {
    for (const response of this.heldResponses) response.destroy();
    this.heldResponses.clear();
  }

  async stop(): Promise<void> {
    this.dropHeldResponses();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

const server = new TestAgentServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => server.reset());

function httpConfig(overrides: Record<string, unknown> = {}, transport: Record<string, unknown> = {}): HttpAgentConfig {
  return HttpAgentConfigSchema.parse({
    type: "http_api",
    name: "test-agent",
    system_prompt: "You are a test agent.",
    transport: { base_url: server.url(), retry: { attempts: 1, backoff_seconds: 0 }, ...transport },
    ...overrides,
  });
}

/** Next's typings make NODE_ENV mandatory in ProcessEnv; a test environment does not need it. */
function environment(variables: Record<string, string> = {}): NodeJS.ProcessEnv {
  return variables as NodeJS.ProcessEnv;
}

function invoke(
  config: HttpAgentConfig,
  metadata: AgentCallMetadata = { mode: "planning" },
  options: { prompt?: string; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
) {
  const adapter = createHttpAdapter(config, { env: options.env ?? environment(), baseDir: process.cwd() });
  return invokeAdapter(adapter, options.prompt ?? "the prompt", { metadata, ...(options.signal ? { signal: options.signal } : {}) });
}

const stepMetadata: StepMetadata = {
  mode: "execution",
  task: "Add two numbers",
  step: { id: 1, description: "add them", depends_on: [], tool: "calculator", tool_params: { a: 1 } },
  attempt: 2,
  guidance: ["show your work"],
  tools: [{ name: "calculator", description: "adds", parameters: { type: "object", properties: {} } }],
  messages: [{ role: "user", content: "add 1 and 2" }],
};

describe("http adapter request body", () => {
  const template = { payload_template: { mode: "inference", options: { depth: 2 } } };

  it("sends prompt and planning metadata on top of the template", async () => {
    await invoke(httpConfig(template), { mode: "planning" }, { prompt: "plan this" });
    expect(server.requests[0]?.method).toBe("POST");
    expect(server.requests[0]?.body).toEqual({
      mode: "inference",
      options: { depth: 2 },
      prompt: "plan this",
      metadata: { mode: "planning" },
    });
  });

  it("sends the structured step metadata during execution", async () => {
    await invoke(httpConfig(template), stepMetadata, { prompt: "transcript" });
    expect(server.requests[0]?.body).toEqual({
      mode: "inference",
      options: { depth: 2 },
      prompt: "transcript",
      metadata: stepMetadata,
    });
  });

  it("sends tool calls and synthesis calls with their metadata", async () => {
    const toolMetadata = { tool: { name: "calculator", arguments: { a: 1, b: 2 } } };
    await invoke(httpConfig(template), toolMetadata, { prompt: JSON.stringify(toolMetadata) });
    await invoke(httpConfig(template), { mode: "synthesis" }, { prompt: "summarise" });
    expect(server.requests.map((request) => request.body)).toEqual([
      { mode: "inference", options: { depth: 2 }, prompt: JSON.stringify(toolMetadata), metadata: toolMetadata },
      { mode: "inference", options: { depth: 2 }, prompt: "summarise", metadata: { mode: "synthesis" } },
    ]);
  });

  it("never overwrites prompt or metadata keys of the template, and does not mutate it", async () => {
    const config = httpConfig({ payload_template: { prompt: "fixed prompt", metadata: null, nested: { list: [1] } } });
    await invoke(config, { mode: "planning" }, { prompt: "ignored" });
    expect(server.requests[0]?.body).toEqual({ prompt: "fixed prompt", metadata: null, nested: { list: [1] } });
    expect(config.payload_template).toEqual({ prompt: "fixed prompt", metadata: null, nested: { list: [1] } });
  });

  it("omits metadata when it is empty", async () => {
    await invoke(httpConfig(), {} as AgentCallMetadata, { prompt: "p" });
    expect(server.requests[0]?.body).toEqual({ prompt: "p" });
  });

  it("posts to exactly base_url, without adding a trailing slash", async () => {
    await invoke(httpConfig({}, { base_url: server.url("/v1/agent") }));
    await invoke(httpConfig({}, { base_url: server.url("/v1/agent/?key=1") }));
    expect(server.requests.map((request) => request.url)).toEqual(["/v1/agent", "/v1/agent/?key=1"]);
    expect(server.requests[0]?.headers["content-type"]).toBe("application/json");
  });
});

describe("http adapter headers", () => {
  it("resolves ${VAR} references from the context environment at call time", async () => {
    const config = httpConfig({}, { headers: { authorization: "Bearer ${AGENT_TOKEN}", "x-team": "atlas" } });
    await invoke(config, { mode: "planning" }, { env: environment({ AGENT_TOKEN: "first" }) });
    await invoke(config, { mode: "planning" }, { env: environment({ AGENT_TOKEN: "rotated" }) });
    expect(server.requests.map((request) => request.headers.authorization)).toEqual(["Bearer first", "Bearer rotated"]);
    expect(server.requests[0]?.headers["x-team"]).toBe("atlas");
  });

  it("fails with missing_secret naming the variable, before sending anything", async () => {
    const config = httpConfig({}, { headers: { authorization: "Bearer ${AGENT_TOKEN}" } });
    const error = await rejection(invoke(config, { mode: "planning" }, { env: environment() }));
    expect(error.code).toBe("missing_secret");
    expect(error.message).toContain("AGENT_TOKEN");
    expect(server.requests).toHaveLength(0);
  });
});

describe("http adapter result path", () => {
  it("defaults to output and returns strings as they are", async () => {
    server.respond((_request, response) => json(response, 200, { output: "the answer", other: 1 }));
    await expect(invoke(httpConfig())).resolves.toEqual({ text: "the answer" });
  });

  it("walks a nested path and serialises objects, arrays and scalars", async () => {
    const answers: unknown[] = [{ steps: [1, 2] }, ["a", "b"], 42, true, null];
    server.respond((_request, response, index) => json(response, 200, { data: { answer: answers[index] } }));
    const config = httpConfig({ result_path: ["data", "answer"] });
    const texts = [];
    for (const _answer of answers) texts.push((await invoke(config)).text);
    expect(texts).toEqual(['{"steps":[1,2]}', '["a","b"]', "42", "true", "null"]);
  });

  it("reports the missing key and the path so far, without retrying", async () => {
    server.respond((_request, response) => json(response, 200, { data: { text: "x" } }));
    const config = httpConfig({ result_path: ["data", "answer"] }, { retry: { attempts: 3, backoff_seconds: 0 } });
    const error = await rejection(invoke(config));
    expect(error.code).toBe("adapter_error");
    expect(error.message).toContain("response missing key 'answer' while traversing result path");
    expect(error.message).toContain("(reached data)");
    expect(server.requests).toHaveLength(1);
  });

  it("treats a non-object node on the path as a missing key", async () => {
    server.respond((_request, response) => json(response, 200, { output: ["not", "an", "object"] }));
    const error = await rejection(invoke(httpConfig({ result_path: ["output", "0"] })));
    expect(error.message).toContain("response missing key '0'");
  });
});

describe("http adapter retries", () => {
  it("retries a 500 and succeeds, waiting backoff × attempt between tries", async () => {
    server.respond((_request, response, index) =>
      index < 2 ? json(response, 500, { error: "busy" }) : json(response, 200, { output: "finally" }),
    );
    const backoffSeconds = 0.05;
    const config = httpConfig({}, { retry: { attempts: 3, backoff_seconds: backoffSeconds } });
    await expect(invoke(config)).resolves.toEqual({ text: "finally" });
    expect(server.requests).toHaveLength(3);
    const [first, second, third] = server.requests.map((request) => request.receivedAt);
    // Lower bounds only (timers may fire late, never meaningfully early): 1× then 2× the backoff.
    expect(second! - first!).toBeGreaterThanOrEqual(backoffSeconds * 1000 - 5);
    expect(third! - second!).toBeGreaterThanOrEqual(2 * backoffSeconds * 1000 - 5);
  });

  it("retries a body that is not JSON", async () => {
    server.respond((_request, response, index) => {
      if (index === 0) {
        response.writeHead(200, { "content-type": "text/plain" });
        response.end("<html>oops</html>");
      } else {
        json(response, 200, { output: "parsed" });
      }
    });
    const config = httpConfig({}, { retry: { attempts: 2, backoff_seconds: 0 } });
    await expect(invoke(config)).resolves.toEqual({ text: "parsed" });
    expect(server.requests).toHaveLength(2);
  });

  it("gives up after the configured tries with the URL and the last error", async () => {
    server.respond((_request, response) => json(response, 503, { error: "down for maintenance" }));
    const config = httpConfig({}, { retry: { attempts: 2, backoff_seconds: 0 } });
    const error = await rejection(invoke(config));
    expect(error.code).toBe("adapter_error");
    expect(error.message).toBe(
      `http adapter failed to obtain a response from ${server.url()} after 2 tries: HTTP 503 Service Unavailable: {"error":"down for maintenance"}`,
    );
    expect(error.cause).toBeInstanceOf(Error);
    expect(server.requests).toHaveLength(2);
  });

  it("reports the network error when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(invoke(httpConfig({}, { base_url: `http://127.0.0.1:${port}/agent` })));
    expect(error.message).toContain("after 1 try: fetch failed");
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("times out each try after timeout_seconds", async () => {
    server.respond(() => {
      // Never answers.
    });
    const config = httpConfig({}, { timeout_seconds: 0.2, retry: { attempts: 2, backoff_seconds: 0 } });
    const error = await rejection(invoke(config));
    expect(error.code).toBe("adapter_error");
    expect(error.message).toContain("after 2 tries: request timed out after 0.2 s");
    expect(server.requests).toHaveLength(2);
  });
});

describe("http adapter cancellation", () => {
  it("rejects at once when aborted mid-request and sends nothing more", async () => {
    server.respond(() => {
      // Holds the request until the client gives up.
    });
    const controller = new AbortController();
    const config = httpConfig({}, { timeout_seconds: 0, retry: { attempts: 3, backoff_seconds: 0 } });
    const pending = invoke(config, { mode: "planning" }, { signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    const error = await rejection(pending);
    expect(error.code).toBe("cancelled");
    // A retry would have been sent at once (backoff 0), so before a call this test starts only now.
    server.respond((_request, response) => json(response, 200, { output: "after" }));
    await expect(invoke(config, { mode: "planning" }, { prompt: "after the cancel" })).resolves.toEqual({ text: "after" });
    expect(server.requests.map((request) => (request.body as { prompt: string }).prompt)).toEqual(["the prompt", "after the cancel"]);
  });

  it("rejects at once when aborted during the backoff sleep", async () => {
    server.respond((_request, response) => json(response, 500, { error: "busy" }));
    const controller = new AbortController();
    const config = httpConfig({}, { retry: { attempts: 3, backoff_seconds: 600 } });
    const pending = invoke(config, { mode: "planning" }, { signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    const error = await rejection(pending);
    expect(error.code).toBe("cancelled");
    expect(server.requests).toHaveLength(1);
  });

  it("does not send anything when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(invoke(httpConfig(), { mode: "planning" }, { signal: controller.signal }));
    expect(error.code).toBe("cancelled");
    expect(server.requests).toHaveLength(0);
  });
});
