"""A small Python agent for configs/examples/python_agent.yaml (no model behind it).

Atlas calls ``run_agent(prompt=..., metadata=...)`` for every BYOA call:
planning (``metadata["mode"] == "planning"``), step execution (``"execution"``, with the step,
guidance and conversation), tool execution (``metadata["tool"]``) and synthesis (``"synthesis"``).
Replace the bodies with calls to your own model or code.
"""

import json
import re


def run_agent(prompt, metadata=None):
    metadata = metadata or {}
    if "tool" in metadata:
        return _run_tool(metadata["tool"])
    mode = metadata.get("mode")
    if mode == "planning":
        return json.dumps({"steps": _plan(_task_from(prompt))})
    if mode == "execution":
        return _execute(metadata)
    if mode == "synthesis":
        return _synthesize(prompt)
    return "This agent answers Atlas planning, step, tool and synthesis calls."


def _plan(task):
    return [
        {"id": 1, "description": f"Gather the sources relevant to: {task}", "depends_on": []},
        {"id": 2, "description": "Summarise what the sources say", "depends_on": [1]},
    ]


def _execute(metadata):
    step = metadata.get("step", {})
    task = metadata.get("task", "")
    if step.get("id") == 1:
        return json.dumps({
            "status": "ok",
            "result": {
                "deliverable": f"Two sources cover '{task}': the project README and the design notes.",
                "artifacts": {"sources": ["README.md", "docs/design.md"]},
            },
        })
    return json.dumps({
        "status": "ok",
        "result": {
            "deliverable": "Both sources agree on the approach; the design notes add the failure handling.",
            "artifacts": {"relied_on": ["README.md", "docs/design.md"]},
        },
    })


def _run_tool(tool):
    return json.dumps({"tool": tool.get("name"), "arguments": tool.get("arguments", {}), "result": "no tools in this sample"})


def _synthesize(prompt):
    match = re.search(r"Original Task: ([^\n]*)", prompt)
    task = match.group(1).strip() if match else "the task"
    return "\n".join([
        f"Summary: Gathered and summarised the sources for '{task}'.",
        "Final Answer: Both sources agree on the approach; the design notes add the failure handling.",
        "Evidence: steps 1 and 2 (README.md, docs/design.md).",
        "Follow-ups: None",
    ])


def _task_from(prompt):
    match = re.search(r"\nTask: ([^\n]*)", prompt)
    return match.group(1).strip() if match else "the task"
