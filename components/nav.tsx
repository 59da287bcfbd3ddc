"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Overview", exact: true },
  { href: "/runs/new", label: "Runs" },
  { href: "/sessions", label: "Sessions" },
  { href: "/review", label: "Review" },
  { href: "/judges", label: "Judges" },
  { href: "/configs", label: "Configs" },
  { href: "/task-sets", label: "Task sets" },
  { href: "/experiments", label: "Experiments" },
  { href: "/export", label: "Export" },
] as const;

export function Nav() {
  const pathname = usePathname();
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-7xl items-center gap-6 px-4 sm:px-6">
        <Link href="/" className="py-3 text-lg font-semibold tracking-tight text-slate-900">
          Atlas
        </Link>
        <ul className="flex gap-1">
          {LINKS.map((link) => {
            const active = "exact" in link ? pathname === link.href : pathname.startsWith(link.href.replace(/\/new$/, ""));
            return (
              <li key={link.href}>
                <Link
                  href={link.href}
                  aria-current={active ? "page" : undefined}
                  className={`rounded-md px-3 py-2 text-sm font-medium ${
                    active ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
                  }`}
                >
                  {link.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
    </header>
  );
}
