import net from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

/**
 * A WebSocket→TCP proxy speaking what Neon's serverless driver expects (`/v1?address=host:port`),
 * so tests can drive the Neon driver against the local PostgreSQL. Only allow-listed targets.
 */
export async function startNeonWsProxy(allowedTargets: string[]): Promise<{ address: string; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  server.on("connection", (socket, request) => {
    const target = new URL(request.url ?? "/", "http://proxy").searchParams.get("address") ?? "";
    if (!allowedTargets.includes(target)) {
      socket.close(1008, "target not allowed");
      return;
    }
    const [host, port] = splitHostPort(target);
    const upstream = net.connect(port, host === "localhost" ? "127.0.0.1" : host);
    upstream.setNoDelay(true);
    const pending: Buffer[] = [];
    upstream.on("connect", () => pending.splice(0).forEach((chunk) => upstream.write(chunk)));
    socket.on("message", (data: Buffer) => (upstream.connecting ? pending.push(data) : upstream.write(data)));
    upstream.on("data", (data) => socket.readyState === socket.OPEN && socket.send(data));
    const end = () => {
      upstream.destroy();
      if (socket.readyState <= socket.OPEN) socket.close();
    };
    socket.on("close", end);
    socket.on("error", end);
    upstream.on("close", end);
    upstream.on("error", end);
  });
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

function splitHostPort(target: string): [string, number] {
  const index = target.lastIndexOf(":");
  return [target.slice(0, index), Number(target.slice(index + 1))];
}
