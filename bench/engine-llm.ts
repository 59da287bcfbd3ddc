/**
 * The scripted LLM of bench/engine.ts, in a process of its own (a real model never shares the engine's
 * event loop). Prints its base URL, then answers `GET /bench/requests` (count) and `POST /bench/reset`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startScriptedLlm } from "@/lib/llm/scripted/server";
import { agreeingJudges, keepPlanReview, userPayload } from "@/lib/runtime/testing/scripts";

const latencyMs = Number(process.argv[2] ?? 50);
const retriedSteps = new Set((process.argv[3] ?? "2,5").split(",").map(Number));

const llm = await startScriptedLlm({
  defaultLatencyMs: latencyMs,
  recordLimit: 1000,
  rules: [
    keepPlanReview(),
    {
      caller: "validation",
      reply: (request) => {
        const payload = userPayload(request) as { step?: { id?: number }; attempt_guidance?: unknown[] };
        const retry = retriedSteps.has(payload.step?.id ?? 0) && (payload.attempt_guidance ?? []).length === 0;
        return { json: retry ? { valid: false, guidance: "Include the row counts." } : { valid: true, guidance: null } };
      },
    },
    agreeingJudges(0.8),
  ],
});

const control = createServer((request, response) => {
  if (request.url === "/bench/requests") {
    response.end(JSON.stringify({ count: llm.requests.length }));
  } else if (request.url === "/bench/reset" && request.method === "POST") {
    llm.reset();
    response.end("{}");
  } else {
    response.statusCode = 404;
    response.end();
  }
});
await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
const { port } = control.address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ url: llm.url, control: `http://127.0.0.1:${port}` })}\n`);
process.on("SIGTERM", () => void llm.close().finally(() => process.exit(0)));
