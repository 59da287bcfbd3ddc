/**
 * The SSE client of bench/stream.ts, in its own process so its reads do not wait for the server's
 * event loop. Prints one JSON line: the arrival time (ms since the epoch, sub-ms precision) of each seq.
 *
 *   npm run bench -- bench/stream-client.ts <url> <event count>
 */
import { parseSseStream } from "@/lib/http/sse";

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
const now = () => performance.timeOrigin + performance.now();

const response = await fetch(url as string, { headers: { accept: "text/event-stream" } });
if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status}`);
process.stderr.write("connected\n");
const times: number[] = new Array(count + 1).fill(0);
let expected = 1;
for await (const message of parseSseStream(response.body)) {
  const seq = Number(message.id);
  if (seq !== expected) throw new Error(`expected event ${expected}, got ${seq}`);
  times[seq] = now();
  JSON.parse(message.data);
  expected += 1;
}
if (expected !== count + 1) throw new Error(`stream closed after ${expected - 1} of ${count} events`);
process.stdout.write(`${JSON.stringify(times)}\n`);
