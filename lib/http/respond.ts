import { ZodError, type z } from "zod";
import { AtlasError, isAtlasError, type Issue } from "@/lib/errors";
import { readBodyText } from "./body";

/** Route handlers stay thin: parse with zod, call lib/, and let this map every failure to a status. */
export function errorResponse(error: unknown): Response {
  if (isAtlasError(error)) return Response.json(error.toBody(), { status: error.status });
  if (isZodError(error)) {
    return Response.json(new AtlasError("invalid_input", "invalid request", { issues: zodIssues(error) }).toBody(), {
      status: 400,
    });
  }
  console.error("unexpected error in API route:", error);
  return Response.json(new AtlasError("internal", "internal error; see the server log").toBody(), { status: 500 });
}

/** By shape, for the same reason as isAtlasError: a ZodError may come from another module graph. */
function isZodError(error: unknown): error is ZodError {
  return error instanceof ZodError || (error instanceof Error && error.name === "ZodError" && Array.isArray((error as ZodError).issues));
}

export function zodIssues(error: ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

export function handle<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * Reads a JSON body (at most the route's byte limit: 413 beyond) and validates it; malformed JSON and
 * schema failures are 400s that say why.
 */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const text = await readBodyText(request);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AtlasError("invalid_input", `request body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AtlasError("invalid_input", "invalid request body", { issues: zodIssues(parsed.error) });
  }
  return parsed.data;
}

export function searchParamsObject(request: Request): Record<string, string | string[]> {
  const params = new URL(request.url).searchParams;
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    result[key] = values.length > 1 ? values : (values[0] ?? "");
  }
  return result;
}

/** Integer path ids: anything else is a 404, never a 500. */
/** A numeric id from the path; plan step ids may be zero or negative (`{ positive: false }`). */
export function parseIdParam(value: string, resource: string, { positive = true } = {}): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || (positive && id <= 0) || String(id) !== value) {
    throw new AtlasError("not_found", `${resource} ${JSON.stringify(value)} not found`);
  }
  return id;
}
