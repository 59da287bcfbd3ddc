/** Serves the in-process app harness over real HTTP on a loopback port (SSE clients, load tests). */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { AppHarness } from "./app-harness";

export interface ServedHarness {
  url: string;
  close(): Promise<void>;
}

export async function serveHarness(app: AppHarness): Promise<ServedHarness> {
  const server: Server = createServer(async (incoming, outgoing) => {
    const controller = new AbortController();
    outgoing.on("close", () => controller.abort());
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
      const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
      const request = new Request(`http://${incoming.headers.host}${incoming.url}`, {
        method: incoming.method,
        headers,
        body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
        signal: controller.signal,
        ...(hasBody ? { duplex: "half" } : {}),
      } as RequestInit);
      const response = await app.fetch(request);
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return void outgoing.end();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        if (!outgoing.write(chunk)) await new Promise((resolve) => outgoing.once("drain", resolve));
      }
      outgoing.end();
    } catch {
      if (!outgoing.headersSent) outgoing.writeHead(500);
      outgoing.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
