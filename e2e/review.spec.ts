import { expect, test } from "@playwright/test";
import { DEMO_CONFIG } from "./fixtures/e2e-env";
import { collectPageErrors, startRun, unique, waitForStatus } from "./fixtures/session-helpers";

const tag = `rvw${unique()}`;
const ids: number[] = [];

test.beforeAll(async ({ request }) => {
  for (const name of ["one", "two", "three"]) ids.push(await startRun(request, DEMO_CONFIG, `Review queue ${name} ${tag}`));
  for (const id of ids) await waitForStatus(request, id, ["succeeded", "failed"]);
});

test("reviews three sessions from the queue with the keyboard only", async ({ page, request }) => {
  const errors = collectPageErrors(page);
  await page.goto(`/review?q=${tag}`);
  const newestFirst = [...ids].reverse();
  for (const id of newestFirst) await expect(page.getByTestId(`queue-status-${id}`)).toHaveAttribute("data-review-status", "pending");
  const current = page.getByTestId("queue-current");
  await expect(current).toHaveAttribute("data-session-id", String(newestFirst[0]));

  // j / k move without deciding.
  await page.keyboard.press("j");
  await expect(current).toHaveAttribute("data-session-id", String(newestFirst[1]));
  await page.keyboard.press("k");
  await expect(current).toHaveAttribute("data-session-id", String(newestFirst[0]));

  await page.keyboard.press("a");
  await expect(page.getByTestId(`queue-status-${newestFirst[0]}`)).toHaveAttribute("data-review-status", "approved");
  await expect(current).toHaveAttribute("data-session-id", String(newestFirst[1]));

  await page.keyboard.press("n");
  await expect(page.getByTestId("queue-note")).toBeFocused();
  await page.keyboard.type("final answer contradicts step 1");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("queue-note")).not.toBeFocused();
  await page.keyboard.press("q");
  await expect(page.getByTestId(`queue-status-${newestFirst[1]}`)).toHaveAttribute("data-review-status", "quarantined");
  await expect(current).toHaveAttribute("data-session-id", String(newestFirst[2]));

  await page.keyboard.press("a");
  await expect(page.getByTestId(`queue-status-${newestFirst[2]}`)).toHaveAttribute("data-review-status", "approved");

  const reviewOf = async (id: number) => (await (await request.get(`/api/sessions/${id}/review`)).json()) as {
    reviewStatus: string;
    history: { status: string; note: string | null; reviewer: string }[];
  };
  expect((await reviewOf(newestFirst[0]!)).reviewStatus).toBe("approved");
  expect(await reviewOf(newestFirst[1]!)).toMatchObject({
    reviewStatus: "quarantined",
    history: [{ status: "quarantined", note: "final answer contradicts step 1", reviewer: "web" }],
  });
  expect((await reviewOf(newestFirst[2]!)).reviewStatus).toBe("approved");

  // The list filtered by review status agrees, and the queue's default filter (pending) is now empty for them.
  const approved = await (await request.get(`/api/sessions?q=${tag}&review=approved`)).json();
  expect(approved.sessions.map((session: { id: number }) => session.id).sort()).toEqual([newestFirst[0], newestFirst[2]].sort());
  await page.goto(`/review?q=${tag}`);
  await expect(page.getByTestId("queue-empty")).toBeVisible();

  // Step 1 of the current session opens with its key.
  await page.goto(`/review?q=${tag}&review=approved`);
  await expect(current).toHaveAttribute("data-session-id", String(newestFirst[0]));
  await page.keyboard.press("1");
  await expect(page).toHaveURL(new RegExp(`/sessions/${newestFirst[0]}#step-1$`));
  await expect(page.getByTestId("step-label-1")).toBeVisible();
  expect(errors).toEqual([]);
});

test("labels a step and sees the label on the step and through the API", async ({ page, request }) => {
  const sessionId = ids[0]!;
  await page.goto(`/sessions/${sessionId}#step-1`);
  const form = page.getByTestId("step-label-1");
  await expect(form).toBeVisible();
  await form.getByTestId("step-label-1-score").fill("0.3");
  await form.getByTestId("step-label-1-verdict").selectOption("bad");
  await form.getByTestId("step-label-1-note").fill("misses the second figure");
  await form.getByTestId("step-label-1-save").click();
  await expect(form.getByTestId("step-label-1-list")).toContainText("score 0.3 · bad · misses the second figure");
  const labels = await (await request.get(`/api/sessions/${sessionId}/labels`)).json();
  expect(labels.labels).toEqual([
    expect.objectContaining({ stepId: 1, score: 0.3, verdict: "bad", note: "misses the second figure", labeler: "web" }),
  ]);

  // A bad score is refused with the field named, and nothing is added.
  await form.getByTestId("step-label-1-score").fill("7");
  await form.getByTestId("step-label-1-save").click();
  await expect(form.getByRole("alert")).toContainText("score");
  expect((await (await request.get(`/api/sessions/${sessionId}/labels`)).json()).labels).toHaveLength(1);
});

test("re-judges the session from its page and shows both judgements of the step side by side", async ({ page, request }) => {
  const sessionId = ids[0]!;
  await page.goto(`/sessions/${sessionId}#step-1`);
  await expect(page.getByTestId("rejudge-config")).toHaveValue(DEMO_CONFIG);
  await page.getByTestId("rejudge-start").click();
  await expect(page.getByTestId("rejudge-status")).toHaveAttribute("data-status", "succeeded");
  const version = Number(/v(\d+)/.exec((await page.getByTestId("rejudge-status").textContent()) ?? "")?.[1]);
  await expect(page.getByTestId("judgement-version-1-0")).toBeVisible();
  await expect(page.getByTestId(`judgement-version-1-${version}`)).toBeVisible();
  const original = await (await request.get(`/api/sessions/${sessionId}`)).json();
  const rejudged = await (await request.get(`/api/sessions/${sessionId}?judgement=${version}`)).json();
  expect(rejudged.steps[0].rewardScore).toEqual(expect.any(Number));
  expect(original.steps[0].rewardScore).toEqual(expect.any(Number));
  expect((await request.get(`/api/rejudge/${version}`)).ok()).toBe(true);
});

test("the Judges page shows the agreement of the demo config's judges with the step label", async ({ page, request }) => {
  const sessionId = ids[0]!;
  const session = await (await request.get(`/api/sessions/${sessionId}`)).json();
  const judged = session.steps.find((step: { stepId: number }) => step.stepId === 1).rewardScore as number;
  await page.goto(`/judges?config=${encodeURIComponent(DEMO_CONFIG)}`);
  await expect(page.getByTestId("agreement-pairs")).toHaveText("1");
  await expect(page.getByTestId("judge-stats").locator("tbody tr")).not.toHaveCount(0);
  await expect(page.getByTestId("agreement-mae")).toHaveText(Math.abs(judged - 0.3).toFixed(3));
  const judgeAccepts = judged >= 0.6;
  await expect(page.getByTestId(judgeAccepts ? "confusion-fp" : "confusion-tn")).toHaveText("1");
  if (judgeAccepts) {
    await page.getByTestId("disagreements").getByRole("link", { name: `session ${sessionId}, step 1` }).click();
    await expect(page).toHaveURL(new RegExp(`/sessions/${sessionId}#step-1$`));
    await expect(page.getByTestId("step-label-1-list")).toContainText("score 0.3");
  }
});

test("bulk actions from the sessions list", async ({ page, request }) => {
  await page.goto(`/sessions?q=${tag}`);
  for (const id of ids) await page.getByTestId(`select-session-${id}`).check();
  await page.getByTestId("bulk-quarantine").click();
  await expect(page.getByTestId("bulk-message")).toHaveText("3 sessions quarantined.");
  for (const id of ids) await expect(page.getByTestId(`row-review-${id}`)).toHaveAttribute("data-review-status", "quarantined");
  const listed = await (await request.get(`/api/sessions?q=${tag}&review=quarantined`)).json();
  expect(listed.sessions).toHaveLength(3);
});
