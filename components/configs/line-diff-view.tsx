import { diffCounts, foldUnchanged, type DiffLine } from "@/lib/configs/line-diff";

const LINE_STYLES: Record<DiffLine["kind"], string> = {
  same: "text-slate-600",
  added: "bg-emerald-50 text-emerald-900",
  removed: "bg-red-50 text-red-900",
};
const MARKS: Record<DiffLine["kind"], string> = { same: " ", added: "+", removed: "-" };

/** The edited text against a base version, unchanged stretches folded. */
export function LineDiffView({ lines, baseLabel }: { lines: DiffLine[]; baseLabel: string }) {
  const { added, removed } = diffCounts(lines);
  return (
    <div data-testid="config-diff" data-added={added} data-removed={removed}>
      <p className="text-sm text-slate-700">
        {added === 0 && removed === 0 ? (
          <>No differences from {baseLabel}.</>
        ) : (
          <>
            Changes against {baseLabel}: <span className="text-emerald-700">+{added}</span>{" "}
            <span className="text-red-700">−{removed}</span>
          </>
        )}
      </p>
      {added + removed > 0 ? (
        <div className="mt-2 max-h-96 overflow-auto rounded border border-slate-200 font-mono text-xs">
          {foldUnchanged(lines).map((block, index) =>
            block.kind === "folded" ? (
              <div key={index} className="bg-slate-50 px-2 py-0.5 text-slate-400">
                ⋯ {block.count} unchanged {block.count === 1 ? "line" : "lines"}
              </div>
            ) : (
              block.lines.map((line, lineIndex) => (
                <div key={`${index}-${lineIndex}`} data-testid="diff-line" data-kind={line.kind} className={`flex ${LINE_STYLES[line.kind]}`}>
                  <span className="w-10 shrink-0 select-none pr-1 text-right text-slate-400">{line.oldNumber ?? ""}</span>
                  <span className="w-10 shrink-0 select-none pr-1 text-right text-slate-400">{line.newNumber ?? ""}</span>
                  <span className="w-4 shrink-0 select-none">{MARKS[line.kind]}</span>
                  <span className="whitespace-pre">{line.text}</span>
                </div>
              ))
            ),
          )}
        </div>
      ) : null}
    </div>
  );
}
