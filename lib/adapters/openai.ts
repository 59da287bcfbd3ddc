/**
 * The `openai` adapter (also `litellm`): the agent under test is itself a chat-completions model.
 * Unlike upstream, execution calls offer the step's tools as function tools and native tool
 * calls come back as `toolCalls`, with `student.tool_choice`. The stage's token limit
 * (`student.max_*_tokens`, from the call) caps `llm.max_output_tokens`.
 *
 * Message list: the agent's system prompt; then, for execution calls with a tool-loop conversation in
 * `metadata.messages`, that conversation; otherwise (metadata non-empty) one system message with the
 * metadata as JSON (execution calls leave `messages` and `tools` out of it); finally the prompt as the
 * user message.
 */
import type { OpenAIAgentConfig } from "@/lib/config";
import { createLlmClient } from "@/lib/llm/client";
import type { ChatMessage, ChatRole, ToolCall } from "@/lib/llm/types";
import { parseToolArguments } from "@/lib/llm/wire";
import type { AdapterContext, AgentAdapter, AgentCall, AgentCallMetadata, AgentReply } from "./types";

export function createOpenAIAdapter(config: OpenAIAgentConfig, context: AdapterContext): AgentAdapter {
  const client = createLlmClient(config.llm, { env: context.env, recorder: context.recorder, label: "agent.llm" });

  return {
    type: "openai",
    async invoke(call: AgentCall): Promise<AgentReply> {
      const execution = call.metadata && "mode" in call.metadata && call.metadata.mode === "execution" ? call.metadata : null;
      const offersTools = execution !== null && execution.tools.length > 0;
      const { maxTokens, toolChoice } = call.limits ?? {};
      const reply = await client.complete({
        actor: "agent",
        stage: stageOf(call.metadata),
        messages: buildMessages(config.system_prompt, call.prompt, call.metadata),
        responseFormat: config.response_format,
        ...(offersTools ? { tools: execution.tools, ...(toolChoice ? { toolChoice } : {}) } : {}),
        ...(maxTokens === undefined ? {} : { maxTokens }),
        ...(execution ? { stepId: execution.step.id, attempt: execution.attempt } : {}),
        signal: call.signal,
      });
      return { text: reply.content, toolCalls: reply.toolCalls };
    },
    async close() {},
  };
}

function stageOf(metadata: AgentCallMetadata | null | undefined): string {
  if (metadata && "mode" in metadata) return metadata.mode;
  return metadata && "tool" in metadata ? "tool" : "agent";
}

export function buildMessages(
  systemPrompt: string,
  prompt: string,
  metadata: AgentCallMetadata | null | undefined,
): ChatMessage[] {
  const record = (metadata ?? {}) as Record<string, unknown>;
  const conversation = (Array.isArray(record.messages) ? record.messages : [])
    .map(conversationMessage)
    .filter((message): message is ChatMessage => message !== null);
  // A step's tool-loop conversation already holds the executor prompt (which embeds the agent's system
  // prompt) and the step message the transcript renders: sending them again would double every token.
  if (record.mode === "execution" && conversation.length > 0) return conversation;

  const messages: ChatMessage[] = [];
  if (systemPrompt.trim() !== "") messages.push({ role: "system", content: systemPrompt });
  if (conversation.length > 0) {
    messages.push(...conversation);
  } else {
    const isExecution = record.mode === "execution";
    const shown = Object.fromEntries(
      Object.entries(record).filter(([key]) => !(isExecution && (key === "messages" || key === "tools"))),
    );
    if (Object.keys(shown).length > 0) messages.push({ role: "system", content: JSON.stringify(shown) });
  }
  messages.push({ role: "user", content: prompt });
  return messages;
}

const ROLE_BY_TYPE: Record<string, ChatRole> = { system: "system", human: "user", ai: "assistant", tool: "tool" };
const ROLES: ReadonlySet<string> = new Set<ChatRole>(["system", "user", "assistant", "tool"]);

/** One tool-loop message; `type` (LangChain style) stands in for a missing `role`; unknown roles are dropped. */
function conversationMessage(entry: unknown): ChatMessage | null {
  if (entry === null || typeof entry !== "object") return null;
  const fields = entry as Record<string, unknown>;
  const role = typeof fields.role === "string" ? fields.role : ROLE_BY_TYPE[String(fields.type)];
  if (role === undefined || !ROLES.has(role)) return null;
  const message: ChatMessage = { role: role as ChatRole, content: contentText(fields.content) };
  if (role === "assistant") {
    const toolCalls = normaliseToolCalls(fields.tool_calls ?? fields.toolCalls);
    if (toolCalls.length > 0) message.toolCalls = toolCalls;
  }
  if (role === "tool") {
    const callId = fields.tool_call_id ?? fields.toolCallId;
    message.toolCallId = typeof callId === "string" ? callId : String(callId ?? "");
  }
  return message;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  return JSON.stringify(content);
}

/**
 * Tool calls given as a list, a single object or a JSON string; each needs a name (flat or OpenAI's nested
 * `function`), with `arguments` or `args` as an object or a JSON string.
 */
function normaliseToolCalls(value: unknown): ToolCall[] {
  let list: unknown = value;
  if (typeof list === "string") {
    try {
      list = JSON.parse(list);
    } catch {
      return [];
    }
  }
  if (list === null || list === undefined) return [];
  const items = Array.isArray(list) ? list : [list];
  const calls: ToolCall[] = [];
  items.forEach((item, index) => {
    if (item === null || typeof item !== "object") return;
    const fields = item as Record<string, unknown>;
    const nested = (fields.function ?? {}) as Record<string, unknown>;
    const name = fields.name ?? nested.name;
    if (typeof name !== "string" || name === "") return;
    const id = typeof fields.id === "string" && fields.id !== "" ? fields.id : `${name}-${index}`;
    calls.push({ id, name, arguments: parseToolArguments(fields.arguments ?? fields.args ?? nested.arguments) });
  });
  return calls;
}
