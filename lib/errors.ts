/**
 * One error vocabulary for the engine, the API, the CLI and the browser.
 * Browser-safe: no Node imports.
 */

export const ERROR_STATUS = {
  invalid_input: 400,
  invalid_config: 400,
  missing_secret: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  cancelled: 499,
  timeout: 504,
  llm_error: 502,
  adapter_error: 502,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A problem located in a source document (config YAML, JSONL line, request body). */
export interface Issue {
  /** Dotted path inside the document, e.g. `agent.transport.base_url`; empty for the root. */
  path: string;
  message: string;
  /** 1-based line and column in the source text, when the issue comes from text. */
  line?: number;
  column?: number;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: Issue[] };
}

/**
 * Next bundles instrumentation (where the run manager lives) and each route as separate module graphs,
 * so an AtlasError thrown in one is not `instanceof` the class another imported: recognise it by brand.
 */
const ATLAS_ERROR_BRAND = Symbol.for("atlas.error");

export class AtlasError extends Error {
  readonly [ATLAS_ERROR_BRAND] = true;
  readonly code: ErrorCode;
  readonly issues: Issue[] | undefined;

  constructor(code: ErrorCode, message: string, options?: { issues?: Issue[]; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AtlasError";
    this.code = code;
    this.issues = options?.issues;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues && this.issues.length > 0 ? { issues: this.issues } : {}),
      },
    };
  }

  static fromBody(body: unknown, fallbackStatus?: number): AtlasError {
    const error = (body as Partial<ErrorBody> | null)?.error;
    if (error && typeof error.message === "string" && typeof error.code === "string" && error.code in ERROR_STATUS) {
      return new AtlasError(error.code, error.message, { issues: error.issues });
    }
    return new AtlasError("internal", `request failed${fallbackStatus ? ` with status ${fallbackStatus}` : ""}`);
  }
}

export function isAtlasError(value: unknown): value is AtlasError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[ATLAS_ERROR_BRAND] === true;
}

/** Formats an issue the way compilers do: `FILE:LINE:COL path: message`. */
export function formatIssue(issue: Issue, source?: string): string {
  const where = [source, issue.line, issue.column].filter((part) => part !== undefined && part !== "").join(":");
  // An issue without a path (a YAML syntax error, a non-mapping document) is placed by its line and column only.
  const path = issue.path === "" ? "" : `${issue.path}: `;
  return `${where ? `${where} ` : ""}${path}${issue.message}`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
