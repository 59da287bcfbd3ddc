import { expect, test } from "@playwright/test";
import { holdMarker, MARKERS, XSS_PAYLOAD } from "./fixtures/scripted-rules";
import {
  collectPageErrors,
  completeEventLogSeqs,
  expandStep,
  expectOneToN,
  launchFromForm,
  openHold,
  sessionStatus,
  unique,
} from "./fixtures/session-helpers";

test("a reload mid-run resumes from the snapshot without losing or doubling events; a second tab sees the same run", async ({
  page,
  browser,
}) => {
  const hold = unique();
  const sessionId = await launchFromForm(page, "e2e/module-agent", `Migrate the wiki ${MARKERS.paced} ${holdMarker(hold)}`);
  const lastSeq = () => page.getByTestId("session-page").getAttribute("data-last-seq").then(Number);
  await expect.poll(lastSeq, { timeout: 30_000 }).toBeGreaterThan(5);
  await expect(sessionStatus(page)).toHaveText("running");

  const other = await browser.newContext();
  const secondTab = await other.newPage();
  await secondTab.goto(`/sessions/${sessionId}`);
  await expect(sessionStatus(secondTab)).toHaveText("running");

  await page.reload();
  await expect(sessionStatus(page)).toHaveText("running");
  await openHold(hold);
  await expect(sessionStatus(page)).toHaveText("succeeded", { timeout: 60_000 });
  await expect(sessionStatus(secondTab)).toHaveText("succeeded", { timeout: 60_000 });

  const seqs = await completeEventLogSeqs(page);
  expectOneToN(seqs);
  const otherSeqs = await completeEventLogSeqs(secondTab);
  expect(otherSeqs).toEqual(seqs);
  const stored = await (await page.request.get(`/api/sessions/${sessionId}/event-log?limit=1000`)).json();
  expect(stored.events.map((event: { seq: number }) => event.seq)).toEqual(seqs);
  // The live-folded page agrees with a fresh snapshot.
  for (const tab of [page, secondTab]) {
    await expect(tab.getByTestId("session-reward")).toHaveText(
      ((await (await page.request.get(`/api/sessions/${sessionId}`)).json()).session.rewardScore as number).toFixed(2),
    );
  }
  // The arbiter's model exists only as an event: live on both tabs, and from the stored log on a fresh page.
  const fresh = await other.newPage();
  await fresh.goto(`/sessions/${sessionId}`);
  for (const tab of [page, secondTab, fresh]) {
    await expandStep(tab, 2);
    await expect(tab.getByTestId("judge-panel-2-1").getByTestId("judge-process").getByTestId("arbiter-decision")).toContainText(
      "Arbiter decision (e2e-arbiter)",
    );
  }
  await other.close();

  // The page's snapshot leaves evaluations out; an opened step fetches them (the fresh page above did).
  const compact = await (await page.request.get(`/api/sessions/${sessionId}?evaluations=omit`)).json();
  expect(compact.steps.map((step: { evaluation: unknown; evaluationsOmitted?: boolean }) => [step.evaluation, step.evaluationsOmitted])).toEqual([
    [null, true],
    [null, true],
    [null, true],
  ]);
  const step2 = await (await page.request.get(`/api/sessions/${sessionId}/steps/2`)).json();
  expect(step2.evaluation.reward.judges.length).toBeGreaterThan(0);
  const badQuery = await page.request.get(`/api/sessions/${sessionId}?evaluations=some`);
  expect(badQuery.status()).toBe(400);
  expect((await badQuery.json()).error.message).toContain("evaluations");
  const missingStep = await page.request.get(`/api/sessions/${sessionId}/steps/77`);
  expect(missingStep.status()).toBe(404);
  expect((await missingStep.json()).error.message).toBe(`session ${sessionId} has no step 77`);
});

test("cancelling a slow run stops it and shows cancelled", async ({ page }) => {
  const errors = collectPageErrors(page);
  await launchFromForm(page, "e2e/module-agent", `Rebuild the search index ${MARKERS.slow} ${unique()}`);
  await expect(page.getByTestId("step-1")).toHaveAttribute("data-status", "running", { timeout: 30_000 });
  const cancel = page.getByTestId("cancel-session");
  await cancel.click();
  await expect(sessionStatus(page)).toHaveText("cancelled", { timeout: 30_000 });
  await expect(cancel).toHaveCount(0);
  await expect(page.getByTestId("session-error")).toBeVisible();
  await expect(page.getByTestId("step-1")).toHaveAttribute("data-status", "cancelled");
  expectOneToN(await completeEventLogSeqs(page));
  expect(errors).toEqual([]);
});

test("agent output and the final answer are shown as text, never run as HTML", async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { __pwned?: number }).__pwned = undefined;
  });
  await launchFromForm(page, "e2e/module-agent", `Summarise the release notes ${MARKERS.xss} ${unique()}`);
  await expect(sessionStatus(page)).toHaveText("succeeded", { timeout: 60_000 });

  const answer = page.getByTestId("final-answer");
  await expect(answer).toContainText(XSS_PAYLOAD);
  await expandStep(page, 2);
  const output = page.getByTestId("attempt-2-1").getByTestId("attempt-output");
  await expect(output).toContainText(XSS_PAYLOAD);
  for (const container of [answer, output]) {
    await expect(container.locator("script, img, a, strong, b, em")).toHaveCount(0);
  }
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test("the launch form checks the metadata JSON live and reports a missing API key by name", async ({ page }) => {
  await page.goto("/runs/new");
  await page.getByTestId("task-input").fill(`Check the form ${unique()}`);
  await page.getByTestId("metadata-input").fill('{\n  "ticket": "OPS-42",\n}');
  await expect(page.getByTestId("metadata-error")).toContainText("Line 3, column 1");
  await expect(page.getByTestId("launch-button")).toBeDisabled();
  await page.getByTestId("metadata-input").fill('{"ticket": "OPS-42"}');
  await expect(page.getByTestId("metadata-error")).toHaveCount(0);

  await page.getByTestId("config-option-e2e/missing-key").locator("input").check();
  await page.getByTestId("launch-button").click();
  const error = page.getByTestId("launch-error");
  await expect(error).toContainText("E2E_UNSET_API_KEY");
  await expect(page).toHaveURL(/\/runs\/new$/);
});
