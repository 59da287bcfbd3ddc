/**
 * What went wrong below HTTP, in words a user can act on. fetch reports "fetch failed" and hides the
 * system error (ECONNREFUSED 127.0.0.1:3109, ENOTFOUND, a TLS failure) a few `cause`s down.
 */

interface SystemErrorFields {
  code?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  message?: unknown;
  /** OpenSSL's short reason, e.g. "wrong version number". */
  reason?: unknown;
  errors?: unknown;
  cause?: unknown;
}

const TLS_CODE = /^(?:ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/;

/** The innermost error that carries a system `code`, looking through `cause` chains and AggregateErrors. */
function systemError(error: unknown, depth = 0): SystemErrorFields | null {
  if (error === null || typeof error !== "object" || depth > 8) return null;
  const fields = error as SystemErrorFields;
  const inner = systemError(fields.cause, depth + 1);
  if (inner) return inner;
  if (Array.isArray(fields.errors)) {
    for (const entry of fields.errors) {
      const found = systemError(entry, depth + 1);
      if (found) return found;
    }
  }
  return typeof fields.code === "string" ? fields : null;
}

/** E.g. `connection refused (ECONNREFUSED 127.0.0.1:3109)`, `DNS lookup failed for api.example.invalid (ENOTFOUND)`. */
export function describeConnectionFailure(error: unknown): string {
  const found = systemError(error);
  if (!found) {
    const messages = causeMessages(error);
    return messages.length > 0 ? messages.join(": ") : "connection failed";
  }
  const code = String(found.code);
  const where = typeof found.address === "string" ? `${found.address}${typeof found.port === "number" ? `:${found.port}` : ""}` : "";
  const message = typeof found.message === "string" ? found.message : "";
  switch (code) {
    case "ECONNREFUSED":
      return `connection refused (ECONNREFUSED${where ? ` ${where}` : ""})`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `DNS lookup failed for ${typeof found.hostname === "string" ? found.hostname : "the host"} (${code})`;
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return `the connection was closed by the server (${code}${where ? ` ${where}` : ""})`;
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return `connecting timed out (${code}${where ? ` ${where}` : ""})`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `host unreachable (${code}${where ? ` ${where}` : ""})`;
    default:
      if (TLS_CODE.test(code)) {
        const reason = typeof found.reason === "string" ? found.reason : message.split("\n")[0];
        return `TLS error (${code}${reason ? `: ${reason}` : ""})`;
      }
      return message ? `${code}: ${message}` : code;
  }
}

function causeMessages(error: unknown): string[] {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth += 1) {
    if (current.message && !messages.includes(current.message)) messages.push(current.message);
    current = current.cause;
  }
  return messages;
}
