/**
 * The `module` adapter (Atlas extension): the agent is a function exported by a JS/TS module,
 * called as `fn(prompt, metadata, { signal })`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ModuleAgentConfig } from "@/lib/config";
import { AtlasError, errorMessage, isAtlasError } from "@/lib/errors";
import type { ToolCall } from "@/lib/llm/types";
import { cancelledError, raceWithAbort, throwIfCancelled } from "./abort";
import { assertCodeLocation } from "./code-location";
import type { AdapterContext, AgentAdapter, AgentCall, AgentCallMetadata, AgentReply } from "./types";

const ADAPTER_TYPE = "module";
const TYPESCRIPT_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx"]);

/**
 * What a module agent may return (or resolve to): a string; an object or array (sent as JSON); an iterable or
 * async iterable of strings (concatenated); or an AgentReply `{ text, toolCalls? }`.
 */
export type ModuleAgentFunction = (
  prompt: string,
  metadata: AgentCallMetadata,
  options: { signal: AbortSignal },
) => unknown;

export function createModuleAdapter(config: ModuleAgentConfig, context: AdapterContext): AgentAdapter {
  const modulePath = path.resolve(context.baseDir, config.module);
  let loading: Promise<ModuleAgentFunction> | null = null;

  function load(): Promise<ModuleAgentFunction> {
    assertCodeLocation(config.module, context, "agent.module");
    loading ??= loadAgentFunction(modulePath, config.export).catch((error: unknown) => {
      loading = null; // a fixed file is picked up by the next call
      throw error;
    });
    return loading;
  }

  return {
    type: ADAPTER_TYPE,
    async invoke(call: AgentCall): Promise<AgentReply> {
      throwIfCancelled(call.signal, ADAPTER_TYPE);
      const agent = await raceWithAbort(load(), call.signal, ADAPTER_TYPE);
      // The race rejects at once on abort even if the function ignores its signal; its work is then abandoned.
      return raceWithAbort(runAgent(agent, call), call.signal, ADAPTER_TYPE);
    },
    async close() {},
  };
}

async function runAgent(agent: ModuleAgentFunction, call: AgentCall): Promise<AgentReply> {
  try {
    const result: unknown = await agent(call.prompt, call.metadata, { signal: call.signal });
    return await toReply(result, call.signal);
  } catch (error) {
    if (isAtlasError(error)) throw error;
    const stack = error instanceof Error && error.stack ? `\n${error.stack}` : "";
    throw new AtlasError("adapter_error", `module agent function threw an error: ${errorMessage(error)}${stack}`, {
      cause: error,
    });
  }
}

/** Where the module of a config lives and whether its export loads as a function (`atlas doctor`). */
export async function checkModuleAgent(config: ModuleAgentConfig, context: Pick<AdapterContext, "baseDir">): Promise<string> {
  const modulePath = path.resolve(context.baseDir, config.module);
  await loadAgentFunction(modulePath, config.export);
  return modulePath;
}

async function loadAgentFunction(modulePath: string, exportName: string): Promise<ModuleAgentFunction> {
  if (!existsSync(modulePath)) {
    throw new AtlasError("invalid_config", `agent module not found: ${modulePath}`, {
      issues: [{ path: "agent.module", message: `no file at ${modulePath}` }],
    });
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = await importModule(modulePath);
  } catch (error) {
    throw new AtlasError("adapter_error", `unable to import module '${modulePath}': ${errorMessage(error)}`, {
      cause: error,
    });
  }
  const exported = findExport(namespace, exportName);
  if (exported === undefined) {
    const available = Object.keys(namespace).filter((name) => name !== "__esModule");
    throw new AtlasError(
      "invalid_config",
      `module '${modulePath}' has no export named '${exportName}' (it exports: ${available.join(", ") || "nothing"})`,
      { issues: [{ path: "agent.export", message: `no export named '${exportName}'` }] },
    );
  }
  if (typeof exported !== "function") {
    throw new AtlasError(
      "invalid_config",
      `export '${exportName}' of module '${modulePath}' is not a function (it is ${describeValue(exported)})`,
      { issues: [{ path: "agent.export", message: "not a function" }] },
    );
  }
  return exported as ModuleAgentFunction;
}

async function importModule(modulePath: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(modulePath).href;
  if (TYPESCRIPT_EXTENSIONS.has(path.extname(modulePath))) {
    const { tsImport } = await import("tsx/esm/api");
    return (await tsImport(url, url)) as Record<string, unknown>;
  }
  // Loaded at run time from the user's disk: the bundler must leave this import alone.
  return (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ /* @vite-ignore */ url)) as Record<
    string,
    unknown
  >;
}

/** TypeScript compiled to CommonJS arrives as `{ default: module.exports }`, so look inside that too. */
function findExport(namespace: Record<string, unknown>, exportName: string): unknown {
  const direct = namespace[exportName];
  const commonJs = namespace.default;
  const fromCommonJs =
    commonJs !== null && typeof commonJs === "object" && Object.hasOwn(commonJs, exportName)
      ? (commonJs as Record<string, unknown>)[exportName]
      : undefined;
  if (exportName === "default" && typeof direct !== "function" && typeof fromCommonJs === "function") {
    return fromCommonJs;
  }
  return direct ?? fromCommonJs;
}

async function toReply(result: unknown, signal: AbortSignal): Promise<AgentReply> {
  if (typeof result === "string") return { text: result };
  if (result === undefined || typeof result === "function") {
    throw new AtlasError(
      "adapter_error",
      `module agent function returned ${describeValue(result)}; return a string, a JSON value, an iterable of strings or { text }`,
    );
  }
  if (result === null || typeof result !== "object") return { text: String(result) };
  if (Array.isArray(result)) return { text: stringify(result) };
  if (isReplyShaped(result)) return toAgentReply(result);
  if (Symbol.asyncIterator in result || Symbol.iterator in result) {
    return { text: await concatenate(result as AsyncIterable<unknown> | Iterable<unknown>, signal) };
  }
  return { text: stringify(result) };
}

function isReplyShaped(value: object): value is { text: string; toolCalls?: unknown } {
  const keys = Object.keys(value);
  return (
    typeof (value as { text?: unknown }).text === "string" &&
    keys.every((key) => key === "text" || key === "toolCalls")
  );
}

function toAgentReply(value: { text: string; toolCalls?: unknown }): AgentReply {
  if (value.toolCalls === undefined) return { text: value.text };
  if (!Array.isArray(value.toolCalls) || !value.toolCalls.every(isToolCall)) {
    throw new AtlasError(
      "adapter_error",
      "module agent returned toolCalls that are not a list of { id: string, name: string, arguments: object }",
    );
  }
  return { text: value.text, toolCalls: value.toolCalls };
}

function isToolCall(value: unknown): value is ToolCall {
  if (value === null || typeof value !== "object") return false;
  const { id, name, arguments: args } = value as Record<string, unknown>;
  return (
    typeof id === "string" &&
    typeof name === "string" &&
    args !== null &&
    typeof args === "object" &&
    !Array.isArray(args)
  );
}

async function concatenate(items: AsyncIterable<unknown> | Iterable<unknown>, signal: AbortSignal): Promise<string> {
  const parts: string[] = [];
  // `for await` also walks sync iterables; leaving the loop early calls the iterator's return().
  for await (const item of items) {
    if (signal.aborted) throw cancelledError(ADAPTER_TYPE);
    if (typeof item !== "string") {
      throw new AtlasError(
        "adapter_error",
        `module agent output must yield strings, but item ${parts.length} is ${describeValue(item)}`,
      );
    }
    parts.push(item);
  }
  return parts.join("");
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new AtlasError("adapter_error", `module agent result cannot be sent as JSON: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (value === undefined) return "undefined";
  return `a ${typeof value}`;
}
