"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNotice } from "@/components/ui/error-notice";
import { fetchJson } from "@/lib/http/api-client";
import type { AtlasError } from "@/lib/errors";

/** Posts the token as JSON; the server answers with the httpOnly cookie, then the page it guarded opens. */
export function LoginForm({ next }: { next: string }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<AtlasError | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await fetchJson("/api/login", { method: "POST", body: JSON.stringify({ token }) });
      window.location.assign(next);
    } catch (caught) {
      setError(caught as AtlasError);
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="max-w-sm space-y-3">
      <label className="block text-sm font-medium text-slate-700">
        Access token
        <input
          type="password"
          name="token"
          autoComplete="current-password"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
          required
        />
      </label>
      {error ? <ErrorNotice error={error} /> : null}
      <Button type="submit" disabled={pending || token === ""}>
        Sign in
      </Button>
    </form>
  );
}
