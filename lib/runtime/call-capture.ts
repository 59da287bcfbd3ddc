/**
 * Builds the stored capture of a call: secrets replaced, then texts cut until the whole capture fits
 * the size limit. A cut is marked in the text itself and in `truncated`, never silent.
 */
import { redactValue, type Secret } from "@/lib/config/secret-redaction";
import { CALL_CAPTURE_LIMIT_BYTES, type CallCapture } from "@/lib/trajectory";

export interface CallCaptureOptions {
  /** Values that must never be stored, whatever part of the call carries them. */
  secrets: readonly Secret[];
  limitBytes?: number;
}

/** Turns a call's request and reply into its capture, or nothing when capture is off. */
export type CallCapturer = (request: Record<string, unknown>, reply: Record<string, unknown> | null) => CallCapture | undefined;

export const noCallCapture: CallCapturer = () => undefined;

export function callCapturer(options: CallCaptureOptions): CallCapturer {
  const limitBytes = options.limitBytes ?? CALL_CAPTURE_LIMIT_BYTES;
  return (request, reply) => {
    const plain = toPlainJson({ request, reply }) as { request: Record<string, unknown>; reply: Record<string, unknown> | null };
    const redacted = redactValue(plain, options.secrets);
    const originalBytes = byteLength(redacted);
    if (originalBytes <= limitBytes) return { ...redacted, truncated: false, originalBytes, limitBytes };
    const cut = cutToFit(redacted, limitBytes);
    return { ...cut, truncated: true, originalBytes, limitBytes };
  };
}

function toPlainJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}

const MARKER = (dropped: number) => `… [${dropped} characters cut to fit the capture size limit]`;

/** Halves the longest string until the value fits; whatever structure remains is kept. */
function cutToFit<T>(value: T, limitBytes: number): T {
  let current = value;
  for (let round = 0; round < 200 && byteLength(current) > limitBytes; round += 1) {
    const longest = longestString(current);
    if (longest === null || longest.length < 64) return dropReply(current, limitBytes);
    const excess = byteLength(current) - limitBytes;
    const keep = Math.max(32, Math.min(Math.floor(longest.length / 2), longest.length - excess - 80));
    current = replaceString(current, longest, `${longest.slice(0, keep)}${MARKER(longest.length - keep)}`);
  }
  return byteLength(current) > limitBytes ? dropReply(current, limitBytes) : current;
}

/** Last resort for captures made of many short strings: only a note of what was there. */
function dropReply<T>(value: T, limitBytes: number): T {
  const note = `capture of ${byteLength(value)} bytes did not fit the ${limitBytes}-byte limit and was dropped`;
  return { request: { note }, reply: null } as T;
}

function longestString(value: unknown): string | null {
  let best: string | null = null;
  const visit = (node: unknown) => {
    if (typeof node === "string") {
      if (best === null || node.length > best.length) best = node;
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") Object.values(node).forEach(visit);
  };
  visit(value);
  return best;
}

function replaceString<T>(value: T, target: string, replacement: string): T {
  let done = false;
  const visit = (node: unknown): unknown => {
    if (done) return node;
    if (node === target) {
      done = true;
      return replacement;
    }
    if (Array.isArray(node)) return node.map(visit);
    if (node !== null && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, visit(item)]));
    return node;
  };
  return visit(value) as T;
}
