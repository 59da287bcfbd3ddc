/** Browser-side fetch that turns an error body back into the same AtlasError the server threw. */
import { AtlasError } from "@/lib/errors";

export async function fetchJson<T>(input: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, {
      ...init,
      headers: { accept: "application/json", ...(init?.body ? { "content-type": "application/json" } : {}), ...init?.headers },
    });
  } catch (error) {
    throw new AtlasError("unavailable", `cannot reach the Atlas server: ${(error as Error).message}`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw AtlasError.fromBody(body, response.status);
  return body as T;
}
