import Link from "next/link";

export const metadata = { title: "Not found" };

/** Every unknown page: say so, and offer the way back. */
export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl py-16 text-center" data-testid="not-found">
      <p className="text-sm font-semibold tracking-wide text-slate-500 uppercase">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">This page does not exist</h1>
      <p className="mt-3 text-sm text-slate-600">The address may be mistyped, or the page was moved.</p>
      <div className="mt-6 flex justify-center gap-3">
        <Link href="/" data-testid="not-found-home" className="rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-700">
          Back to the overview
        </Link>
        <Link href="/sessions" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
          All sessions
        </Link>
      </div>
    </div>
  );
}
