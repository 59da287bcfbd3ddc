import type { z } from "zod";
import { AtlasError } from "@/lib/errors";
import { zodIssues } from "@/lib/http/respond";

/** Parses a query string with a schema; blank parameters count as absent, failures are 400s naming the parameter. */
export function parseSearchParams<S extends z.ZodType>(url: string, schema: S): z.infer<S> {
  const params = new URL(url).searchParams;
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key).filter((value) => value.trim() !== "");
    if (values.length > 0) raw[key] = values.length === 1 ? (values[0] as string) : values;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new AtlasError(
      "invalid_input",
      `invalid query string: ${issues.map((issue) => `${issue.path || "(root)"}: ${issue.message}`).join("; ")}`,
      { issues },
    );
  }
  return parsed.data;
}
