/**
 * A real HTTP server speaking the OpenAI chat-completions protocol, answering from ordered rules.
 * Used by unit tests, the e2e suite and the offline demo (`api_base: builtin:demo`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { detectCaller } from "./roles";
import type {
  RecordedMessage,
  RecordedRequest,
  ScriptedLlm,
  ScriptedLlmOptions,
  ScriptReply,
  ScriptRule,
} from "./types";

const SCRIPTED_MODEL_ID = "atlas-scripted";

export async function startScriptedLlm(options: ScriptedLlmOptions = {}): Promise<ScriptedLlm> {
  const initialRules = [...(options.rules ?? [])];
  let rules = [...initialRules];
  let uses = new Map<ScriptRule, number>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let nextId = 1;
  let received = 0;
  let gates = new Map<string, Gate>();
  const gate = (name: string): Gate => {
    let found = gates.get(name);
    if (!found) gates.set(name, (found = newGate()));
    return found;
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, `scripted server failed: ${String(error)}`);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    if (options.unref) socket.unref();
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    const path = new URL(incoming.url ?? "/", "http://scripted").pathname.replace(/\/+$/, "");
    const gateName = path.match(/\/gates\/([^/]+)$/)?.[1];
    if (incoming.method === "POST" && gateName !== undefined) {
      gate(decodeURIComponent(gateName)).open();
      sendJson(response, 200, { opened: decodeURIComponent(gateName) });
      return;
    }
    if (incoming.method === "GET" && path.endsWith("/models")) {
      sendJson(response, 200, {
        object: "list",
        data: [{ id: SCRIPTED_MODEL_ID, object: "model", created: 0, owned_by: "atlas" }],
      });
      return;
    }
    if (incoming.method !== "POST" || !path.endsWith("/chat/completions")) {
      sendError(response, 404, `the scripted LLM serves POST /v1/chat/completions, GET /v1/models and POST /v1/gates/<name>, not ${incoming.method} ${path}`);
      return;
    }
    const body = await readJsonBody(incoming);
    if (body === null) {
      sendError(response, 400, "request body is not a JSON object");
      return;
    }
    const request = recordRequest(body, incoming);
    const rule = takeRule(request);
    if (!rule) {
      request.status = 500;
      const last = request.messages.at(-1)?.content ?? "";
      sendError(
        response,
        500,
        `no scripted reply for caller "${request.callerRole}" (model ${request.model}); last message starts: ${JSON.stringify(last.slice(0, 200))}`,
      );
      return;
    }
    const reply = typeof rule.reply === "function" ? rule.reply(request) : rule.reply;
    await answer(reply, request, incoming, response, arrivedAt);
  }

  function recordRequest(body: Record<string, unknown>, incoming: IncomingMessage): RecordedRequest {
    const messages = Array.isArray(body.messages) ? body.messages.map(toRecordedMessage) : [];
    const caller = detectCaller(messages);
    const request: RecordedRequest = {
      index: received++,
      callerRole: caller.role,
      customJudge: caller.customJudge,
      model: typeof body.model === "string" ? body.model : "",
      url: incoming.url ?? "/",
      temperature: typeof body.temperature === "number" ? body.temperature : null,
      messages,
      response_format: body.response_format ?? null,
      tools: Array.isArray(body.tools) ? body.tools : null,
      tool_choice: body.tool_choice ?? null,
      body,
      headers: flattenHeaders(incoming),
      receivedAt: Date.now(),
      status: null,
    };
    requests.push(request);
    if (options.recordLimit !== undefined && requests.length > options.recordLimit) requests.shift();
    return request;
  }

  function takeRule(request: RecordedRequest): ScriptRule | null {
    for (const rule of rules) {
      const used = uses.get(rule) ?? 0;
      if (rule.times !== undefined && used >= rule.times) continue;
      if (!ruleMatches(rule, request)) continue;
      uses.set(rule, used + 1);
      return rule;
    }
    return null;
  }

  async function answer(
    reply: ScriptReply,
    request: RecordedRequest,
    incoming: IncomingMessage,
    response: ServerResponse,
    arrivedAt: number,
  ): Promise<void> {
    if (reply.hang) return; // the socket stays open until the client aborts or close() destroys it
    if (reply.waitFor !== undefined) {
      const stillConnected = await openedUnlessClosed(gate(reply.waitFor), incoming);
      if (!stillConnected) return;
    }
    // The latency counts from the request's arrival, as a model's response time would: reading the body
    // and matching the rules happen inside it, not on top of it.
    const latency = (reply.latencyMs ?? options.defaultLatencyMs ?? 0) - (performance.now() - arrivedAt);
    if (latency > 0) {
      const stillConnected = await delayUnlessClosed(latency, incoming);
      if (!stillConnected) return;
    }
    if (reply.status !== undefined && reply.status >= 400) {
      request.status = reply.status;
      const headers: Record<string, string> =
        reply.retryAfter === undefined ? {} : { "retry-after": String(reply.retryAfter) };
      sendError(response, reply.status, reply.message ?? `scripted error ${reply.status}`, headers);
      return;
    }
    request.status = 200;
    if (reply.malformed) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"id": "chatcmpl-broken", "choices": [');
      return;
    }
    sendJson(response, 200, completionBody(reply, request, nextId++));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  if (options.unref) server.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/v1`,
    requests,
    setRules(next) {
      rules = [...next];
      uses = new Map();
    },
    addRules(more) {
      rules.push(...more);
    },
    openGate(name) {
      gate(name).open();
    },
    reset() {
      requests.length = 0;
      received = 0;
      gates = new Map();
      rules = [...initialRules];
      uses = new Map();
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
    },
  };
}

function ruleMatches(rule: ScriptRule, request: RecordedRequest): boolean {
  if (rule.caller !== undefined) {
    const callers = Array.isArray(rule.caller) ? rule.caller : [rule.caller];
    if (!callers.includes(request.callerRole)) return false;
  }
  if (rule.model !== undefined && rule.model !== request.model) return false;
  if (rule.temperature !== undefined) {
    if (request.temperature === null || Math.abs(request.temperature - rule.temperature) > 1e-9) return false;
  }
  if (rule.contains !== undefined) {
    const text = request.messages.map((message) => message.content).join("\n");
    const found = typeof rule.contains === "string" ? text.includes(rule.contains) : new RegExp(rule.contains).test(text);
    if (!found) return false;
  }
  return true;
}

function completionBody(reply: ScriptReply, request: RecordedRequest, id: number): Record<string, unknown> {
  const content = reply.empty ? null : (reply.content ?? (reply.json === undefined ? "" : JSON.stringify(reply.json)));
  const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${id}_${index + 1}`,
    type: "function",
    function: {
      name: call.name,
      arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
  const message: Record<string, unknown> = { role: "assistant", content, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reply.reasoning !== undefined) message.reasoning_content = reply.reasoning;

  const promptText = request.messages.map((entry) => entry.content).join("\n");
  const usage = reply.usage ?? {
    prompt_tokens: estimateTokens(promptText),
    completion_tokens: estimateTokens(content ?? JSON.stringify(toolCalls)),
  };
  return {
    id: `chatcmpl-scripted-${id}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: request.model || SCRIPTED_MODEL_ID,
    choices: [{ index: 0, message, finish_reason: toolCalls.length > 0 ? "tool_calls" : "stop", logprobs: null }],
    usage: {
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
      ...(usage.reasoning_tokens === undefined
        ? {}
        : { completion_tokens_details: { reasoning_tokens: usage.reasoning_tokens } }),
      ...(usage.cached_tokens === undefined ? {} : { prompt_tokens_details: { cached_tokens: usage.cached_tokens } }),
    },
  };
}

/** Roughly four characters per token: good enough for usage and cost displays. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function toRecordedMessage(entry: unknown): RecordedMessage {
  const message = (entry ?? {}) as Record<string, unknown>;
  const recorded: RecordedMessage = {
    role: typeof message.role === "string" ? message.role : "",
    content: contentText(message.content),
  };
  if (Array.isArray(message.tool_calls)) recorded.tool_calls = message.tool_calls;
  if (typeof message.tool_call_id === "string") recorded.tool_call_id = message.tool_call_id;
  return recorded;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof (part as { text?: unknown })?.text === "string" ? (part as { text: string }).text : ""))
      .join("");
  }
  return "";
}

function flattenHeaders(incoming: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

async function readJsonBody(incoming: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

interface Gate {
  opened: Promise<void>;
  open(): void;
}

function newGate(): Gate {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Waits for the gate, and reports false if the client went away meanwhile. */
function openedUnlessClosed(gate: Gate, incoming: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => resolve(false);
    incoming.socket.once("close", onClose);
    void gate.opened.then(() => {
      incoming.socket.off("close", onClose);
      resolve(true);
    });
  });
}

/** Waits, and reports false if the client went away meanwhile. */
function delayUnlessClosed(ms: number, incoming: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      incoming.socket.off("close", onClose);
      resolve(true);
    }, ms);
    incoming.socket.once("close", onClose);
  });
}

function sendJson(response: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const type = status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
  sendJson(response, status, { error: { message, type, param: null, code: null } }, headers);
}
