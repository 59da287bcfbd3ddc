import { describe, expect, it } from "vitest";
import { scriptedLlmPerFile } from "./testing";

const server = scriptedLlmPerFile();

function ask(content: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content }] }),
    ...(signal ? { signal } : {}),
  });
}

async function contentOf(response: Response): Promise<string> {
  const body = (await response.json()) as { choices: { message: { content: string } }[] };
  return body.choices[0]?.message.content ?? "";
}

async function untilRecorded(count: number): Promise<void> {
  while (server.requests.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("scripted server gates", () => {
  it("holds a reply until its gate opens", async () => {
    server.setRules([{ reply: { content: "released", waitFor: "g1" } }]);
    let settled = false;
    const pending = ask("hello").then((response) => {
      settled = true;
      return response;
    });
    await untilRecorded(1);
    expect(settled).toBe(false);
    expect(server.requests[0]?.status).toBeNull();
    server.openGate("g1");
    expect(await contentOf(await pending)).toBe("released");
  });

  it("opens a gate from another process over HTTP, and lets later requests straight through", async () => {
    server.setRules([{ reply: { content: "through", waitFor: "from outside" } }]);
    const opened = await fetch(`${server.url}/gates/${encodeURIComponent("from outside")}`, { method: "POST" });
    expect(await opened.json()).toEqual({ opened: "from outside" });
    expect(await contentOf(await ask("one"))).toBe("through");
    expect(await contentOf(await ask("two"))).toBe("through");
  });

  it("forgets a held request whose client gave up, and keeps serving", async () => {
    server.setRules([{ times: 1, reply: { content: "never sent", waitFor: "g2" } }, { reply: { content: "next" } }]);
    const controller = new AbortController();
    const abandoned = ask("held", controller.signal).catch((error: unknown) => error);
    await untilRecorded(1);
    controller.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    server.openGate("g2");
    expect(await contentOf(await ask("after"))).toBe("next");
  });

  it("closes its gates again on reset", async () => {
    server.openGate("g3");
    server.reset();
    server.setRules([{ reply: { content: "after reset", waitFor: "g3" } }]);
    let settled = false;
    const pending = ask("x").then((response) => {
      settled = true;
      return response;
    });
    await untilRecorded(1);
    expect(settled).toBe(false);
    server.openGate("g3");
    expect(await contentOf(await pending)).toBe("after reset");
  });
});
