"use client";

import { useState } from "react";

/**
 * Untrusted text (agent output, final answers, rationales) shown as text: React text nodes with
 * pre-wrap, never parsed as HTML or markdown. Long text is cut with an explicit "show all".
 */
export function TextBlock({
  text,
  testId,
  limit = 4000,
  className = "",
  mono = false,
}: {
  text: string;
  testId?: string;
  limit?: number;
  className?: string;
  mono?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const cut = !open && text.length > limit;
  return (
    <div className={className}>
      <div
        data-testid={testId}
        className={`whitespace-pre-wrap break-words text-sm leading-relaxed text-slate-800 ${mono ? "font-mono text-xs" : ""}`}
      >
        {cut ? text.slice(0, limit) : text}
      </div>
      {text.length > limit ? (
        <button type="button" className="mt-1 text-xs font-medium text-blue-700 hover:underline" onClick={() => setOpen(!open)}>
          {open ? "Show less" : `Show all (${(text.length - limit).toLocaleString("en-US")} more characters)`}
        </button>
      ) : null}
    </div>
  );
}
