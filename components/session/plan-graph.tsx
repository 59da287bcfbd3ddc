"use client";

import { memo, useMemo } from "react";
import type { PlanStep } from "@/lib/trajectory";
import { layoutPlan } from "@/lib/session-view/plan-layout";

const FILL: Record<string, { fill: string; stroke: string; text: string }> = {
  pending: { fill: "#ffffff", stroke: "#cbd5e1", text: "#64748b" },
  running: { fill: "#dbeafe", stroke: "#3b82f6", text: "#1e3a8a" },
  succeeded: { fill: "#d1fae5", stroke: "#10b981", text: "#064e3b" },
  failed: { fill: "#fee2e2", stroke: "#ef4444", text: "#7f1d1d" },
  skipped: { fill: "#f1f5f9", stroke: "#94a3b8", text: "#475569" },
  cancelled: { fill: "#fef3c7", stroke: "#f59e0b", text: "#78350f" },
};

/** The dependency graph, levels as columns, steps coloured by status; a click selects the step. */
export const PlanGraph = memo(function PlanGraph({
  steps,
  statuses,
  onSelect,
}: {
  steps: PlanStep[];
  statuses: Map<number, string>;
  onSelect: (stepId: number) => void;
}) {
  const layout = useMemo(() => layoutPlan(steps), [steps]);
  if (layout.nodes.length === 0) return null;
  const pad = 6;
  return (
    <div className="overflow-x-auto" data-testid="plan-graph">
      <svg
        width={layout.width + pad * 2}
        height={layout.height + pad * 2}
        role="img"
        aria-label={`Dependency graph: ${layout.nodes.length} steps in ${layout.levels.length} levels`}
      >
        <defs>
          <marker id="plan-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#94a3b8" />
          </marker>
        </defs>
        <g transform={`translate(${pad} ${pad})`}>
          {layout.edges.map((edge) => (
            <path key={`${edge.from}-${edge.to}`} d={edge.path} fill="none" stroke="#94a3b8" strokeWidth={1.2} markerEnd="url(#plan-arrow)" />
          ))}
          {layout.nodes.map((node) => {
            const status = statuses.get(node.id) ?? "pending";
            const colours = FILL[status] ?? (FILL.pending as (typeof FILL)[string]);
            return (
              <g
                key={node.id}
                data-testid={`plan-node-${node.id}`}
                data-status={status}
                transform={`translate(${node.x} ${node.y})`}
                className="cursor-pointer"
                onClick={() => onSelect(node.id)}
              >
                <title>{`Step ${node.id} (${status}): ${node.description}`}</title>
                <rect
                  width={layout.nodeWidth}
                  height={layout.nodeHeight}
                  rx={6}
                  fill={colours.fill}
                  stroke={colours.stroke}
                  strokeWidth={status === "running" ? 2 : 1}
                />
                <text x={8} y={layout.compact ? 17 : 18} fontSize={12} fontWeight={600} fill={colours.text}>
                  {layout.compact ? node.id : `Step ${node.id}`}
                </text>
                {layout.compact ? null : (
                  <text x={8} y={36} fontSize={11} fill={colours.text}>
                    {clip(node.description, 26)}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      </svg>
    </div>
  );
});

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
