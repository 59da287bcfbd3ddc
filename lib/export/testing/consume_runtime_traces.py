#!/usr/bin/env python3
"""Reads an Atlas JSONL export the way the upstream trainer does and checks every record.

The loader below re-implements Arc-Computer/ATLAS `trainers/runtime_dataset.py`:
`load_runtime_traces` (with `_coerce_session`, `_coerce_step`, `_coerce_reward`) and
`flatten_traces_for_training`. Standard library only.

    python3 consume_runtime_traces.py EXPORT.jsonl [--expect EXPECT.json] [--compare-steps STEPS.jsonl]

Prints a JSON summary on stdout; exit code 0 when every check passed, 1 otherwise, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Optional


# --- the trainer's data model -------------------------------------------------------------------


@dataclass
class AtlasJudgeSample:
    score: Any
    rationale: Any
    principles: List[Any]
    uncertainty: Any
    temperature: Any

    def to_dict(self) -> Dict[str, Any]:
        return {
            "score": self.score,
            "rationale": self.rationale,
            "principles": self.principles,
            "uncertainty": self.uncertainty,
            "temperature": self.temperature,
        }


@dataclass
class AtlasJudgeBreakdown:
    identifier: Any
    score: Any
    rationale: Any
    principles: List[Any]
    samples: List[AtlasJudgeSample]
    escalated: bool
    escalation_reason: Any

    def to_dict(self) -> Dict[str, Any]:
        return {
            "identifier": self.identifier,
            "score": self.score,
            "rationale": self.rationale,
            "principles": self.principles,
            "samples": [sample.to_dict() for sample in self.samples],
            "escalated": self.escalated,
            "escalation_reason": self.escalation_reason,
        }


@dataclass
class AtlasRewardBreakdown:
    score: Any
    judges: List[AtlasJudgeBreakdown]
    rationale: Any
    raw: Any

    def to_dict(self) -> Dict[str, Any]:
        return {
            "score": self.score,
            "rationale": self.rationale,
            "judges": [judge.to_dict() for judge in self.judges],
            "raw": self.raw,
        }


@dataclass
class AtlasStepTrace:
    step_id: Any
    description: Any
    trace: Any
    output: Any
    reward: AtlasRewardBreakdown
    tool: Any
    tool_params: Any
    context: Dict[str, Any]
    validation: Any
    attempts: Any
    guidance: Any
    runtime: Any = None
    depends_on: Any = None
    artifacts: Any = None
    deliverable: Any = None
    metadata: Dict[str, Any] = field(default_factory=dict)


@dataclass
class AtlasSessionTrace:
    task: Any
    final_answer: Any
    plan: Any
    steps: List[AtlasStepTrace]
    session_metadata: Dict[str, Any]
    session_reward: Any = None
    trajectory_events: Any = None
    student_learning: Any = None
    teacher_learning: Any = None
    learning_history: Any = None
    adaptive_summary: Any = None


# --- the trainer's loader -----------------------------------------------------------

EXCLUDED_STEP_KEYS = {
    "step_id", "id", "description", "trace", "output", "evaluation", "reward", "validation", "attempts",
    "guidance", "context", "context_outputs", "prior_results", "tool", "tool_params", "runtime", "depends_on",
    "artifacts", "deliverable", "metadata",
}


def _coerce_reward(entry: Dict[str, Any]) -> AtlasRewardBreakdown:
    judges = []
    for judge in entry.get("judges") or []:
        samples = [
            AtlasJudgeSample(
                score=sample.get("score", 0.0),
                rationale=sample.get("rationale", ""),
                principles=sample.get("principles", []) or [],
                uncertainty=sample.get("uncertainty"),
                temperature=sample.get("temperature"),
            )
            for sample in judge.get("samples") or []
        ]
        judges.append(
            AtlasJudgeBreakdown(
                identifier=judge.get("identifier", ""),
                score=judge.get("score", 0.0),
                rationale=judge.get("rationale", ""),
                principles=judge.get("principles", []) or [],
                samples=samples,
                escalated=bool(judge.get("escalated", False)),
                escalation_reason=judge.get("escalation_reason"),
            )
        )
    raw_payload = entry.get("raw")
    return AtlasRewardBreakdown(
        score=entry.get("score", 0.0),
        judges=judges,
        rationale=entry.get("rationale"),
        raw=raw_payload if isinstance(raw_payload, dict) else entry,
    )


def _coerce_step(step: Dict[str, Any]) -> AtlasStepTrace:
    reward_payload = step.get("evaluation") or step.get("reward") or {}
    reward = _coerce_reward(reward_payload)
    raw_context = step.get("context") or step.get("prior_results") or step.get("context_outputs")
    if isinstance(raw_context, str):
        try:
            context = json.loads(raw_context)
        except json.JSONDecodeError:
            context = {"raw": raw_context}
    else:
        context = raw_context or {}
    raw_tool_params = step.get("tool_params") or {}
    if isinstance(raw_tool_params, str):
        try:
            tool_params = json.loads(raw_tool_params)
        except json.JSONDecodeError:
            tool_params = {"raw": raw_tool_params}
    else:
        tool_params = raw_tool_params or {}
    tool_name = step.get("tool") or tool_params.get("name")
    explicit_metadata = step.get("metadata", {}) or {}
    if not isinstance(explicit_metadata, dict):
        explicit_metadata = {}
    extra_metadata = {key: value for key, value in step.items() if key not in EXCLUDED_STEP_KEYS}
    return AtlasStepTrace(
        step_id=step.get("step_id", step.get("id", 0)),
        description=step.get("description", ""),
        trace=step.get("trace", ""),
        output=step.get("output", ""),
        reward=reward,
        tool=tool_name,
        tool_params=tool_params,
        context=context if isinstance(context, dict) else {},
        validation=step.get("validation", {}),
        attempts=step.get("attempts", 1),
        guidance=step.get("guidance", []) or [],
        runtime=step.get("runtime"),
        depends_on=step.get("depends_on"),
        artifacts=step.get("artifacts"),
        deliverable=step.get("deliverable"),
        metadata={**extra_metadata, **explicit_metadata},
    )


def _parse_json_field(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return value


def _coerce_session(record: Dict[str, Any]) -> AtlasSessionTrace:
    return AtlasSessionTrace(
        task=record.get("task", ""),
        final_answer=record.get("final_answer", ""),
        plan=record.get("plan", {}),
        steps=[_coerce_step(step) for step in record.get("steps") or []],
        session_metadata=record.get("session_metadata", {}) or {},
        session_reward=_parse_json_field(record.get("session_reward")) or _parse_json_field(record.get("reward")),
        trajectory_events=record.get("trajectory_events"),
        student_learning=record.get("student_learning"),
        teacher_learning=record.get("teacher_learning"),
        learning_history=record.get("learning_history"),
        adaptive_summary=record.get("adaptive_summary"),
    )


def load_runtime_traces(path: str) -> List[AtlasSessionTrace]:
    sessions = []
    with open(path, "r", encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            sessions.append(_coerce_session(json.loads(line)))
    return sessions


def flatten_traces_for_training(sessions: List[AtlasSessionTrace]) -> List[Dict[str, Any]]:
    records = []
    for session in sessions:
        for step in session.steps:
            records.append(
                {
                    "task": session.task,
                    "final_answer": session.final_answer,
                    "plan": session.plan,
                    "step_id": step.step_id,
                    "step_description": step.description,
                    "step_trace": step.trace,
                    "step_output": step.output,
                    "attempts": step.attempts,
                    "guidance_history": step.guidance,
                    "step_context": step.context,
                    "validation": step.validation,
                    "tool": step.tool,
                    "tool_params": step.tool_params,
                    "reward_score": step.reward.score,
                    "reward_breakdown": step.reward.to_dict(),
                    "session_metadata": session.session_metadata,
                    "step_metadata": step.metadata,
                }
            )
    return records


# --- checks --------------------------------------------------------------------------------------


class Checker:
    def __init__(self) -> None:
        self.errors: List[str] = []
        self.checks = 0

    def expect(self, condition: bool, where: str, message: str) -> None:
        self.checks += 1
        if not condition:
            self.errors.append(f"{where}: {message}")


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_timestamp(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def check_reward(check: Checker, where: str, reward: AtlasRewardBreakdown, raw_step: Dict[str, Any]) -> None:
    check.expect(is_number(reward.score) and 0.0 <= reward.score <= 1.0, where, f"reward score {reward.score!r} is not a number in [0, 1]")
    check.expect(reward.rationale is None or isinstance(reward.rationale, str), where, "reward rationale is not null or text")
    check.expect(isinstance(reward.raw, dict), where, "reward raw is not an object")
    stored = (raw_step.get("metadata") or {}).get("raw_evaluation", {}).get("reward")
    check.expect(reward.raw == stored, where, "reward.raw is not the whole stored reward (metadata.raw_evaluation.reward)")
    check.expect(reward.score == (stored or {}).get("score", 0.0), where, "reward score differs from the stored reward score")
    for index, judge in enumerate(reward.judges):
        at = f"{where}.judges[{index}]"
        check.expect(isinstance(judge.identifier, str) and judge.identifier != "", at, "identifier is not a non-empty string")
        check.expect(is_number(judge.score), at, "score is not a number")
        check.expect(isinstance(judge.rationale, str), at, "rationale is not text")
        check.expect(isinstance(judge.principles, list), at, "principles is not a list")
        check.expect(isinstance(judge.escalated, bool), at, "escalated is not a boolean")
        for sample_index, sample in enumerate(judge.samples):
            sample_at = f"{at}.samples[{sample_index}]"
            check.expect(is_number(sample.score), sample_at, "score is not a number")
            check.expect(sample.uncertainty is None or is_number(sample.uncertainty), sample_at, "uncertainty is not a number or null")
            check.expect(sample.temperature is None or is_number(sample.temperature), sample_at, "temperature is not a number or null")


def check_session(check: Checker, index: int, record: Dict[str, Any], session: AtlasSessionTrace) -> None:
    where = f"record {index + 1}"
    check.expect(isinstance(session.task, str) and session.task != "", where, "task is not a non-empty string")
    check.expect(isinstance(session.final_answer, str), where, "final_answer is not a string")
    plan = session.plan
    # A session that ended before planning exports `plan: {}` (upstream does the same).
    check.expect(isinstance(plan, dict) and (plan == {} or isinstance(plan.get("steps"), list)), where, "plan has no step list")
    if not isinstance(plan, dict) or plan == {}:
        plan = {"steps": [], "execution_mode": "stepwise"}
    for step in plan.get("steps", []):
        check.expect(is_int(step.get("id")) and isinstance(step.get("description"), str), where, f"plan step {step!r} lacks an int id or a description")
        check.expect(isinstance(step.get("depends_on"), list), where, f"plan step {step.get('id')} depends_on is not a list")
        check.expect(step.get("tool_params") is None or isinstance(step.get("tool_params"), dict), where, "plan tool_params is not an object or null")
    check.expect(plan.get("execution_mode") in ("stepwise", "single_shot"), where, f"plan execution_mode {plan.get('execution_mode')!r}")

    meta = session.session_metadata
    check.expect(isinstance(meta, dict), where, "session_metadata is not an object")
    check.expect(is_int(meta.get("session_id")), where, "session_metadata.session_id is not an int")
    check.expect(isinstance(meta.get("status"), str), where, "session_metadata.status is not a string")
    check.expect(is_timestamp(meta.get("created_at")), where, "session_metadata.created_at is not ISO-8601")
    if "completed_at" in meta:
        check.expect(is_timestamp(meta["completed_at"]), where, "session_metadata.completed_at is not ISO-8601")

    events = session.trajectory_events
    if events is not None:
        check.expect(isinstance(events, list) and len(events) > 0, where, "trajectory_events present but empty")
        check.expect(meta.get("trajectory_events") == events, where, "session_metadata.trajectory_events differs from trajectory_events")
        previous: Optional[datetime] = None
        for event_index, event in enumerate(events):
            at = f"{where}.trajectory_events[{event_index}]"
            check.expect(is_int(event.get("id")) and isinstance(event.get("event"), dict), at, "id/event missing")
            check.expect(is_timestamp(event.get("created_at")), at, "created_at is not ISO-8601")
            if "type" in event.get("event", {}):
                check.expect(event.get("type") == event["event"]["type"], at, "type not copied from the event")
            if is_timestamp(event.get("created_at")):
                created = datetime.fromisoformat(event["created_at"].replace("Z", "+00:00"))
                check.expect(previous is None or created >= previous, at, "events are not in chronological order")
                previous = created
    else:
        check.expect("trajectory_events" not in meta, where, "event list only inside session_metadata")

    raw_steps = record.get("steps") or []
    seen_ids: List[Any] = []
    for step_index, (raw_step, step) in enumerate(zip(raw_steps, session.steps)):
        at = f"{where}.steps[{step_index}]"
        check.expect(is_int(step.step_id), at, "step_id is not an int")
        check.expect(not seen_ids or step.step_id > seen_ids[-1], at, "steps are not in increasing step_id order")
        check.expect(isinstance(step.description, str) and step.description != "", at, "description is empty")
        check.expect(isinstance(step.trace, str) and isinstance(step.output, str), at, "trace/output are not strings")
        check.expect(step.tool is None or isinstance(step.tool, str), at, "tool is not text or null")
        check.expect(isinstance(step.tool_params, dict), at, "tool_params is not an object")
        check.expect(isinstance(step.validation, dict) and isinstance(step.validation.get("valid"), bool), at, "validation.valid is not a boolean")
        check.expect(is_int(step.attempts) and step.attempts >= 1, at, f"attempts {step.attempts!r} is not a positive int")
        check.expect(isinstance(step.guidance, list) and all(isinstance(note, str) for note in step.guidance), at, "guidance is not a list of text")
        if is_int(step.attempts):
            check.expect(len(step.guidance) <= step.attempts - 1, at, "more guidance notes than retries")
        prior = step.context.get("prior_results")
        check.expect(isinstance(prior, dict), at, "context.prior_results is not an object")
        if isinstance(prior, dict):
            check.expect(list(prior.keys()) == [str(previous_id) for previous_id in seen_ids], at, f"prior_results keys {list(prior.keys())} are not every earlier step in order")
            for previous_step in session.steps[:step_index]:
                entry = prior.get(str(previous_step.step_id), {})
                check.expect(entry.get("output_text") == previous_step.output, at, f"prior result {previous_step.step_id} output_text is not that step's output")
        history = step.metadata.get("attempt_history")
        check.expect(isinstance(history, list) and len(history) == step.attempts, at, "metadata.attempt_history does not list every attempt")
        if isinstance(history, list) and history:
            check.expect([entry.get("attempt") for entry in history] == list(range(1, len(history) + 1)), at, "attempt numbers are not 1..n")
            check.expect(history[-1].get("evaluation") == step.metadata.get("raw_evaluation"), at, "last attempt evaluation is not the stored evaluation")
        check.expect(step.metadata.get("depends_on") == step.depends_on, at, "depends_on differs between the step and its metadata")
        check_reward(check, at, step.reward, raw_step)
        seen_ids.append(step.step_id)


def check_flattened(check: Checker, sessions: List[AtlasSessionTrace], flattened: List[Dict[str, Any]]) -> None:
    total_steps = sum(len(session.steps) for session in sessions)
    check.expect(len(flattened) == total_steps, "flatten", f"{len(flattened)} training records for {total_steps} steps")
    position = 0
    for session in sessions:
        for step in session.steps:
            item = flattened[position]
            at = f"flatten[{position}]"
            check.expect(item["task"] == session.task and item["step_id"] == step.step_id, at, "task/step do not line up")
            check.expect(item["reward_score"] == step.reward.score, at, "reward_score is not the step reward score")
            check.expect(item["step_context"] == step.context, at, "step_context is not the step context")
            check.expect(item["reward_breakdown"]["raw"] == step.reward.raw, at, "reward_breakdown.raw differs")
            position += 1


def without_events(metadata: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in metadata.items() if key != "trajectory_events"}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export")
    parser.add_argument("--expect", help="JSON with expected tasks, step counts, final answers and reward scores")
    parser.add_argument("--compare-steps", help="our `--format steps` export of the same sessions")
    args = parser.parse_args(argv)

    check = Checker()
    with open(args.export, "r", encoding="utf-8") as handle:
        raw_records = [json.loads(line) for line in handle if line.strip()]
    sessions = load_runtime_traces(args.export)
    for index, (record, session) in enumerate(zip(raw_records, sessions)):
        check_session(check, index, record, session)
    flattened = flatten_traces_for_training(sessions)
    check_flattened(check, sessions, flattened)

    if args.expect:
        with open(args.expect, "r", encoding="utf-8") as handle:
            expected = json.load(handle)
        check.expect([s.task for s in sessions] == expected["tasks"], "expect", f"tasks {[s.task for s in sessions]}")
        check.expect([len(s.steps) for s in sessions] == expected["steps"], "expect", f"step counts {[len(s.steps) for s in sessions]}")
        check.expect([s.final_answer for s in sessions] == expected["final_answers"], "expect", "final answers differ")
        scores = [[step.reward.score for step in s.steps] for s in sessions]
        check.expect(scores == expected["reward_scores"], "expect", f"reward scores {scores}")

    if args.compare_steps:
        with open(args.compare_steps, "r", encoding="utf-8") as handle:
            ours = [json.loads(line) for line in handle if line.strip()]
        theirs = [{**item, "session_metadata": without_events(item["session_metadata"])} for item in flattened]
        check.expect(len(ours) == len(theirs), "compare-steps", f"{len(ours)} lines against {len(theirs)} flattened records")
        for index, (mine, reference) in enumerate(zip(ours, theirs)):
            check.expect(list(mine.keys()) == list(reference.keys()), f"compare-steps[{index}]", "key order differs")
            check.expect(mine == reference, f"compare-steps[{index}]", "differs from flatten_traces_for_training")

    summary = {
        "ok": not check.errors,
        "sessions": len(sessions),
        "steps": sum(len(session.steps) for session in sessions),
        "flattened": len(flattened),
        "checks": check.checks,
        "errors": check.errors[:25],
        "error_count": len(check.errors),
    }
    print(json.dumps(summary))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
