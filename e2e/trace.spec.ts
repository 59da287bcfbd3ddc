/**
 * What a run did, call by call: the offline demo's attempt shows the agent's prompt as text, its
 * validation call opens the Teacher's prompt and reply, the arbiter's call opens too, and a permalink
 * to step 2's arbiter call opens and scrolls to it after a reload, with the open state kept.
 */
import { expect, test, type Page } from "@playwright/test";
import { collectPageErrors, expandStep, startRun, unique, waitForStatus } from "./fixtures/session-helpers";

async function openCall(page: Page, attemptCard: ReturnType<Page["getByTestId"]>, stage: string) {
  const call = attemptCard.locator(`[data-testid^="call-"][data-stage="${stage}"]`).first();
  await expect(call).toBeVisible();
  await call.getByTestId("call-toggle").click();
  const id = (await call.getAttribute("data-testid"))!.replace("call-", "");
  const inspector = page.getByTestId(`call-inspector-${id}`);
  await expect(inspector).toBeVisible();
  return { call, inspector, id: Number(id) };
}

test("an attempt of the offline demo shows the agent's prompt and each call's prompt and reply; a permalink reopens the arbiter's call", async ({
  page,
  request,
}) => {
  const errors = collectPageErrors(page);
  const sessionId = await startRun(request, "examples/demo_offline", `Plan a team offsite ${unique()}`);
  expect(await waitForStatus(request, sessionId, ["succeeded", "failed"])).toBe("succeeded");
  await page.goto(`/sessions/${sessionId}`);

  // Tokens and cost by role: the Teacher, the judges' samples and the arbiter each have a row.
  const roles = page.getByTestId("usage-by-role");
  for (const role of ["teacher", "judges", "arbiter"]) await expect(roles.locator(`[data-key="${role}"]`)).toBeVisible();

  await expandStep(page, 2);
  const attempt = page.getByTestId("attempt-2-1");
  // The agent's prompt reads as text: real line breaks, no JSON wrapper or escaped newlines.
  const prompt = attempt.getByTestId("agent-prompt");
  await expect(prompt).toContainText("Identify the main options");
  const promptText = await prompt.innerText();
  expect(promptText.split("\n").length).toBeGreaterThan(3);
  expect(promptText).not.toContain("\\n");

  // The validation call: the Teacher's system and user messages, and its reply.
  const validation = await openCall(page, attempt, "validation");
  const messages = validation.inspector.getByTestId("call-message");
  await expect(messages).toHaveCount(2);
  await expect(messages.nth(0)).toHaveAttribute("data-role", "system");
  await expect(messages.nth(1)).toHaveAttribute("data-role", "user");
  await expect(messages.nth(1)).toContainText("Identify the main options");
  await expect(validation.inspector.getByTestId("call-reply-text")).not.toBeEmpty();
  await expect(validation.inspector.getByTestId("call-facts")).toContainText("latency");
  await expect(validation.inspector.getByTestId("call-retries")).toHaveText("retries 0");

  // The arbiter's call of step 2.
  const arbiter = await openCall(page, attempt, "arbiter:process");
  await expect(arbiter.inspector.getByTestId("call-message").first()).toBeVisible();
  await expect(arbiter.inspector.getByTestId("call-reply-text")).toContainText(/\S/);
  await expect(page).toHaveURL(new RegExp(`/sessions/${sessionId}#step-2/attempt-1/call-${arbiter.id}$`));

  // A fresh page on the permalink opens the step, the attempt and the call, and scrolls to it.
  const permalink = page.url();
  const fresh = await page.context().newPage();
  await fresh.goto(permalink);
  const reopened = fresh.getByTestId(`call-inspector-${arbiter.id}`);
  await expect(reopened).toBeVisible();
  await expect(reopened.getByTestId("call-reply-text")).toContainText(/\S/);
  await expect(fresh.getByTestId(`call-${arbiter.id}`)).toBeInViewport();
  await fresh.close();

  // A reload keeps what was open: the step, the validation call and the arbiter call.
  await page.reload();
  await expect(page.getByTestId(`call-inspector-${arbiter.id}`)).toBeVisible();
  await expect(page.getByTestId(`call-inspector-${validation.id}`)).toBeVisible();
  await expect(page.getByTestId(`call-${arbiter.id}`)).toBeInViewport();

  // Closing a call is kept too.
  await page.getByTestId(`call-${validation.id}`).getByTestId("call-toggle").click();
  await expect(page.getByTestId(`call-inspector-${validation.id}`)).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId(`call-inspector-${arbiter.id}`)).toBeVisible();
  await expect(page.getByTestId(`call-inspector-${validation.id}`)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the waterfall draws the demo's two parallel steps overlapping, and a call's bar opens that call", async ({ page, request }) => {
  const errors = collectPageErrors(page);
  const sessionId = await startRun(request, "examples/demo_offline", `Plan a customer workshop ${unique()}`);
  expect(await waitForStatus(request, sessionId, ["succeeded", "failed"])).toBe("succeeded");
  await page.goto(`/sessions/${sessionId}`);

  const waterfall = page.getByTestId("waterfall");
  await expect(waterfall).toBeVisible();
  const spanOf = async (testId: string) => {
    const bar = page.getByTestId(testId);
    return { start: Number(await bar.getAttribute("data-start-ms")), end: Number(await bar.getAttribute("data-end-ms")) };
  };
  const [first, second, third] = [await spanOf("waterfall-step-1"), await spanOf("waterfall-step-2"), await spanOf("waterfall-step-3")];
  // Steps 1 and 2 are independent and run at the same time; step 3 waits for both.
  expect(first.start < second.end && second.start < first.end, `steps 1 ${JSON.stringify(first)} and 2 ${JSON.stringify(second)} overlap`).toBe(true);
  expect(third.start).toBeGreaterThanOrEqual(Math.max(first.end, second.end) - 1);
  // Step 1 was retried: both attempts are drawn.
  await expect(page.getByTestId("waterfall-attempt-1-1")).toBeVisible();
  await expect(page.getByTestId("waterfall-attempt-1-2")).toBeVisible();
  await expect(page.getByTestId("waterfall-slowest")).toContainText("slowest call");

  // Opening step 2's row draws its calls: each judge's three samples and the arbiter's call.
  await page.getByTestId("waterfall-step-2").getByRole("button").first().click();
  const samples = page.getByTestId("waterfall-calls-2").locator('[data-stage="judge:process"]');
  await expect(samples).toHaveCount(3);
  const arbiterBar = page.getByTestId("waterfall-calls-2").locator('[data-stage="arbiter:process"]');
  await expect(arbiterBar).toHaveCount(1);
  const arbiterId = Number((await arbiterBar.getAttribute("data-testid"))!.replace("waterfall-call-", ""));
  await arbiterBar.click();
  await expect(page.getByTestId(`call-inspector-${arbiterId}`)).toBeVisible();
  await expect(page.getByTestId(`call-${arbiterId}`)).toBeInViewport();
  await expect(page).toHaveURL(new RegExp(`#step-2/attempt-1/call-${arbiterId}$`));
  expect(errors).toEqual([]);
});
