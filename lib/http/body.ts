/**
 * Request bodies read with a byte limit, whether or not the client declared a Content-Length: the
 * route's limit (lib/http/route-policy.ts) is the most that is ever buffered, and more is a 413.
 */
import { AtlasError, errorMessage, isAtlasError } from "@/lib/errors";
import { methodPolicy } from "./route-policy";

/** For a route missing from the policy table (only tests call such handlers directly). */
const DEFAULT_LIMIT = 1024 * 1024;

export function bodyLimitOf(request: Request): number {
  return methodPolicy(new URL(request.url).pathname, request.method)?.limitBytes ?? DEFAULT_LIMIT;
}

export function tooLarge(limitBytes: number): AtlasError {
  return new AtlasError("payload_too_large", `request body is larger than ${limitBytes} bytes, the limit of this route`);
}

/** The body's bytes as they arrive, failing with a 413 as soon as they pass the limit. */
export function limitedBody(body: ReadableStream<Uint8Array>, limitBytes: number): ReadableStream<Uint8Array> {
  let received = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > limitBytes) controller.error(tooLarge(limitBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
}

export async function readBodyText(request: Request, limitBytes = bodyLimitOf(request)): Promise<string> {
  if (!request.body) return "";
  const decoder = new TextDecoder("utf-8");
  let text = "";
  try {
    const reader = limitedBody(request.body, limitBytes).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    if (isAtlasError(error)) throw error;
    throw new AtlasError("invalid_input", `the request body could not be read: ${errorMessage(error)}`);
  }
  return text + decoder.decode();
}
