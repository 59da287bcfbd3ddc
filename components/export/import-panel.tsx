"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNotice } from "@/components/ui/error-notice";
import type { AtlasError } from "@/lib/errors";
import { exportKeys, importFile } from "./queries";

/** Upload a JSONL export (ours or the Python SDK's) so its sessions can be reviewed here. */
export function ImportPanel() {
  const [file, setFile] = useState<File | null>(null);
  const queryClient = useQueryClient();
  const upload = useMutation({
    mutationFn: importFile,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: exportKeys.all }),
  });

  return (
    <Card title="Import">
      <p className="mb-3 text-xs text-slate-600">
        A JSONL file from <code>atlas export</code> or the Python SDK exporter. Importing the same file twice adds nothing.
      </p>
      <input
        type="file"
        accept=".jsonl,.ndjson,application/x-ndjson,application/json,text/plain"
        className="block w-full text-sm"
        data-testid="import-file"
        onChange={(event) => {
          setFile(event.currentTarget.files?.[0] ?? null);
          upload.reset();
        }}
      />
      <Button className="mt-3" disabled={!file || upload.isPending} onClick={() => file && upload.mutate(file)} data-testid="import-submit">
        {upload.isPending ? "Importing…" : "Import"}
      </Button>
      {upload.isError ? <div className="mt-3"><ErrorNotice error={upload.error as AtlasError} title="Import failed" /></div> : null}
      {upload.data ? (
        <div className="mt-3 text-sm" data-testid="import-summary">
          <p>Summary: {upload.data.message}.</p>
          {upload.data.imported > 0 ? (
            <p className="mt-1">
              <Link href="/sessions" className="text-blue-700 hover:underline">
                Review the imported sessions
              </Link>
            </p>
          ) : null}
          {upload.data.malformed.length > 0 ? (
            <ul className="mt-2 list-disc space-y-1 pl-5 font-mono text-xs text-red-800">
              {upload.data.malformed.slice(0, 20).map((entry) => (
                <li key={entry.line}>
                  line {entry.line}: {entry.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
