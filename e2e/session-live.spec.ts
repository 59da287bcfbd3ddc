import { expect, test, type Page } from "@playwright/test";
import { DEMO_CONFIG } from "./fixtures/e2e-env";
import { holdMarker, MARKERS } from "./fixtures/scripted-rules";
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

/**
 * What every scripted run shows (the demo script drives the offline demo and, through the e2e
 * scripted server, the fixture agents): 3 steps, step 3 after 1 and 2; step 1 rejected once with
 * guidance and retried; judges agree except the process judge on step 2, which the arbiter settles.
 */
async function expectTheScriptedRun(page: Page, options: { toolCall: boolean }) {
  await expect(sessionStatus(page)).toHaveText("succeeded", { timeout: 60_000 });

  // Plan, review and the dependency graph.
  await expect(page.getByTestId("plan-review")).toContainText("Concerns:");
  await expect(page.getByTestId("plan-review")).toContainText("step 1 must cite concrete, sourced facts");
  for (const id of [1, 2, 3]) await expect(page.getByTestId(`plan-node-${id}`)).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("step-3")).toContainText("after 1, 2");

  // Step 1: rejected, guidance, retried.
  const step1 = await expandStep(page, 1);
  await expect(step1.getByTestId("attempt-count")).toHaveText("2 attempts");
  const retry = page.getByTestId("attempt-1-2");
  await expect(retry).toHaveAttribute("data-outcome", "accepted");
  await expect(retry.getByTestId("guidance-received")).toContainText("List at least three concrete facts");
  await page.getByTestId("earlier-attempts-1").click();
  const rejected = page.getByTestId("attempt-1-1");
  await expect(rejected).toHaveAttribute("data-outcome", "retry");
  await expect(rejected.getByTestId("validation-verdict")).toContainText("rejected");
  await expect(rejected.getByTestId("guidance-next")).toContainText("List at least three concrete facts");
  await expect(rejected.getByTestId("judge-panel-1-1-skipped")).toContainText("the teacher did not validate");
  await expect(retry.getByTestId("attempt-diff")).toContainText("Compared with attempt 1");

  // Judges that agree: three samples each, no escalation.
  const agreed = page.getByTestId("judge-panel-1-2");
  await expect(agreed.getByTestId("judge-sample")).toHaveCount(6);
  await expect(agreed.getByTestId("escalated-badge")).toHaveCount(0);
  await expect(agreed.getByTestId("judge-process").getByTestId("judge-explanation")).toContainText("Not escalated");

  // Judges that disagree: escalation on the spread and the arbiter's decision.
  await expandStep(page, 2);
  const disputed = page.getByTestId("judge-panel-2-1").getByTestId("judge-process");
  await expect(disputed.getByTestId("escalated-badge")).toBeVisible();
  await expect(disputed.getByTestId("judge-spread")).toContainText("> 0.15");
  await expect(disputed.getByTestId("judge-explanation")).toContainText("Escalated: spread");
  await expect(disputed.getByTestId("arbiter-decision")).toContainText("Arbiter decision");
  await expect(disputed.getByTestId("arbiter-decision")).toContainText("Reconciled the tier-1 evaluations");
  await expect(disputed.getByTestId("judge-score")).toHaveText("0.78");
  if (options.toolCall) await expect(page.getByTestId("attempt-2-1").getByTestId("tool-call")).toContainText("compare_options");

  await expect(page.getByTestId("final-answer")).toContainText("Final Answer:");
  expectOneToN(await completeEventLogSeqs(page));
}

test("the offline demo launches from the form and is watched to the end", async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto("/runs/new");
  // The demo is preselected and explained.
  await expect(page.getByTestId(`config-option-${DEMO_CONFIG}`).locator("input")).toBeChecked();
  await expect(page.getByTestId(`config-option-${DEMO_CONFIG}`)).toContainText("offline scripted demo");
  await expect(page.getByTestId("config-preview")).toContainText("builtin:demo");

  await launchFromForm(page, DEMO_CONFIG, `Plan a team offsite ${unique()}`, { metadata: '{"ticket": "OPS-42"}' });
  await expect(page.getByTestId("session-metadata")).toContainText('"ticket":"OPS-42"');
  // The built-in demo model answers at once, so the run may be over before the page shows; the
  // fixture runs below are paced and check the live transition.
  await expectTheScriptedRun(page, { toolCall: true });
  await expect(page.getByTestId("cancel-session")).toHaveCount(0);
  await expect(page.getByTestId("download-jsonl")).toHaveAttribute("href", /\/api\/sessions\/\d+\/export$/);
  const task = await page.getByTestId("session-task").textContent();
  await page.getByTestId("run-again").click();
  await expect(page.getByTestId("task-input")).toHaveValue(task ?? "");
  await expect(page.getByTestId(`config-option-${DEMO_CONFIG}`).locator("input")).toBeChecked();
  expect(errors).toEqual([]);
});

for (const config of ["e2e/module-agent", "e2e/http-agent", "e2e/python-agent"]) {
  test(`a run with ${config} (scripted OpenAI-compatible server) shows plan, retry, judges and arbiter live`, async ({ page }) => {
    const errors = collectPageErrors(page);
    const hold = unique();
    await launchFromForm(page, config, `Choose a CI provider ${MARKERS.steady} ${holdMarker(hold)}`);
    // Live: the page shows the run in progress, then its end without a reload.
    await expect(sessionStatus(page)).toHaveText(/queued|running/);
    await expect(page.getByTestId("stream-state")).toHaveAttribute("data-state", "open");
    await openHold(hold);
    await expectTheScriptedRun(page, { toolCall: false });
    expect(errors).toEqual([]);
  });
}
