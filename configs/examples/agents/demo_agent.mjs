/**
 * The offline demo agent (configs/examples/demo_offline.yaml): a plain function, no model behind it.
 * It answers the four BYOA calls with fixed text built from the request:
 *   - planning: a three-step plan (steps 1 and 2 independent, step 3 depends on both);
 *   - step 1: the first attempt is deliberately thin, so the demo teacher asks for a retry; once
 *     teacher guidance is present it lists sourced facts;
 *   - step 2: asks for the `compare_options` tool once, then answers with its result;
 *   - tool calls: a canned comparison;
 *   - synthesis: the four labelled sections of the synthesizer contract.
 * Called by the module adapter as agent(prompt, metadata, { signal }).
 */

export default function demoAgent(prompt, metadata) {
  if (metadata && "tool" in metadata) return runTool(metadata.tool);
  switch (metadata?.mode) {
    case "planning":
      return JSON.stringify({ steps: planFor(taskFrom(prompt)) });
    case "execution":
      return executeStep(metadata);
    case "synthesis":
      return synthesize(prompt);
    default:
      return "The demo agent only answers Atlas planning, step, tool and synthesis calls.";
  }
}

function planFor(task) {
  const subject = `"${task}"`;
  return [
    { id: 1, description: `Collect the key facts needed for ${subject}`, tool: null, tool_params: null, depends_on: [] },
    {
      id: 2,
      description: `Identify the main options, trade-offs and risks for ${subject}`,
      tool: "compare_options",
      tool_params: { count: 3 },
      depends_on: [],
    },
    {
      id: 3,
      description: `Draft a recommendation for ${subject} that builds on the facts and the trade-offs`,
      tool: null,
      tool_params: null,
      depends_on: [1, 2],
    },
  ];
}

function executeStep(metadata) {
  const { step, task, guidance, messages } = metadata;
  if (step.id === 1) {
    if (guidance.length === 0) {
      // Deliberately incomplete: no concrete, sourced facts. The teacher will ask for a retry.
      return `Some background on "${task}" was noted.`;
    }
    return JSON.stringify({
      status: "ok",
      result: {
        deliverable: [
          `Facts for "${task}", with sources as the teacher asked:`,
          "1. The goal and its constraints, as stated in the task text (source: task).",
          "2. The inputs available so far (source: the run's validated context).",
          "3. What a good outcome looks like (source: the agent's system prompt).",
        ].join("\n"),
        artifacts: { facts: 3, sources: ["task", "validated context", "system prompt"] },
      },
    });
  }
  if (step.id === 2) {
    const toolResult = messages.find((message) => message.role === "tool");
    if (!toolResult) {
      return JSON.stringify({
        content: "Comparing the options with the compare_options tool.",
        tool_calls: [{ name: "compare_options", arguments: step.tool_params ?? { count: 3 }, id: "compare-1" }],
      });
    }
    return JSON.stringify({
      status: "ok",
      result: {
        deliverable: `Options for "${task}": ${toolResult.content}`,
        artifacts: { options: ["act now", "act in stages", "wait"], preferred: "act in stages" },
      },
    });
  }
  return JSON.stringify({
    status: "ok",
    result: {
      deliverable: `Recommendation for "${task}": proceed in stages, starting with the lowest-risk option from step 2, and check each stage against the facts from step 1.`,
      artifacts: { builds_on: [1, 2] },
    },
  });
}

function runTool(tool) {
  if (tool.name !== "compare_options") return JSON.stringify({ error: `unknown tool ${tool.name}` });
  return "act now (fast, risky); act in stages (slower, lower risk); wait (no cost, no progress). Staging trades speed for lower risk.";
}

function synthesize(prompt) {
  const task = /Original Task: ([^\n]*)/.exec(prompt)?.[1]?.trim() || "the task";
  const stepIds = [...new Set([...prompt.matchAll(/"step_id": (\d+)/g)].map((match) => match[1]))];
  return [
    `Summary: The demo agent planned "${task}" in three steps, retried step 1 after teacher guidance, and used one tool.`,
    `Final Answer: For "${task}", proceed in stages, starting with the lowest-risk option.`,
    `Evidence: ${stepIds.length > 0 ? `steps ${stepIds.join(", ")} (validated outputs)` : "the validated step outputs"}.`,
    "Follow-ups: Replace the demo agent and api_base: builtin:demo with your own agent and a real model.",
  ].join("\n");
}

function taskFrom(prompt) {
  return /\nTask: ([^\n]*)/.exec(prompt)?.[1]?.trim() || "the task";
}
