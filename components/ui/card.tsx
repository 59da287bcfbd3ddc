import type { ReactNode } from "react";

export function Card({ title, children, className = "" }: { title?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`rounded-lg border border-slate-200 bg-white shadow-sm ${className}`}>
      {title ? <h2 className="border-b border-slate-100 px-4 py-3 text-sm font-semibold text-slate-700">{title}</h2> : null}
      <div className="p-4">{children}</div>
    </section>
  );
}
