/**
 * What a user reads when a provider is down or wrong: the URL and the cause, from real sockets.
 */
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { LLMParametersSchema } from "@/lib/config";
import { rejection } from "@/lib/testing/rejection";
import { createLlmClient } from "./client";
import { scriptedLlmPerFile } from "./scripted/testing";
import type { LlmRequest } from "./types";

const server = scriptedLlmPerFile();

const request: LlmRequest = { actor: "teacher", stage: "plan_review", messages: [{ role: "user", content: "hi" }] };

function client(fields: Record<string, unknown>) {
  const params = LLMParametersSchema.parse({
    model: "gemini/gemini-2.5-flash",
    api_key_env: "ATLAS_TEST_KEY",
    timeout_seconds: 0,
    retry: { attempts: 1, backoff_seconds: 0 },
    ...fields,
  });
  return createLlmClient(params, { env: { ATLAS_TEST_KEY: "k" }, label: "rim.small_model", random: () => 0 });
}

/** A port nothing listens on: bound, read, released. */
async function stoppedPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const { port } = listener.address() as AddressInfo;
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  return port;
}

describe("a provider that cannot be reached", () => {
  it("names the URL and ECONNREFUSED host:port", async () => {
    const port = await stoppedPort();
    const error = await rejection(client({ api_base: `http://127.0.0.1:${port}/v1` }).complete(request));
    expect(error.message).toBe(
      `rim.small_model call to gemini/gemini-2.5-flash failed after 3 tries: cannot reach http://127.0.0.1:${port}/v1: ` +
        `connection refused (ECONNREFUSED 127.0.0.1:${port})`,
    );
  });

  it("says when the host name does not resolve", async () => {
    const error = await rejection(client({ api_base: "http://atlas-dead-endpoint.invalid/v1" }).complete(request));
    expect(error.message).toMatch(
      /cannot reach http:\/\/atlas-dead-endpoint\.invalid\/v1: DNS lookup failed for atlas-dead-endpoint\.invalid \((ENOTFOUND|EAI_AGAIN)\)$/,
    );
  });

  it("reports a TLS failure (https to a plain HTTP port)", async () => {
    const plain = createHttpServer((_, response) => response.end("plain"));
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const { port } = plain.address() as AddressInfo;
    try {
      const error = await rejection(client({ api_base: `https://127.0.0.1:${port}/v1` }).complete(request));
      expect(error.message).toContain(`cannot reach https://127.0.0.1:${port}/v1: TLS error (`);
    } finally {
      plain.closeAllConnections();
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });
});

describe("a provider that answers with an error", () => {
  it("404: the provider's message, the model on the wire and the URL", async () => {
    server.setRules([{ reply: { status: 404, message: "models/gemini-2.5-flashh is not found for API version v1beta" } }]);
    const error = await rejection(client({ model: "gemini/gemini-2.5-flashh", api_base: server.url }).complete(request));
    expect(error.message).toBe(
      "rim.small_model call to gemini/gemini-2.5-flashh failed after 1 try: HTTP 404: models/gemini-2.5-flashh is not found " +
        `for API version v1beta (model "gemini-2.5-flashh" at ${server.url})`,
    );
  });

  it("401: the provider's own message", async () => {
    server.setRules([{ reply: { status: 401, message: "API key not valid. Please pass a valid API key." } }]);
    const error = await rejection(client({ api_base: server.url }).complete(request));
    expect(error.message).toBe("rim.small_model call to gemini/gemini-2.5-flash failed after 1 try: HTTP 401: API key not valid. Please pass a valid API key.");
  });
});
