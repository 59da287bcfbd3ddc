import { expect, test } from "@playwright/test";
import { DEMO_CONFIG } from "./fixtures/e2e-env";
import { holdMarker, MARKERS } from "./fixtures/scripted-rules";
import { openHold, startRun, unique, waitForStatus } from "./fixtures/session-helpers";

test("the overview shows runs in progress live, then the finished run with totals and charts", async ({ page, request }) => {
  const hold = unique();
  const task = `Overview check ${MARKERS.paced} ${holdMarker(hold)}`;
  const sessionId = await startRun(request, "e2e/module-agent", task);
  await page.goto("/");
  const running = page.getByTestId("running-sessions");
  await expect(running.getByTestId(`session-row-${sessionId}`)).toBeVisible();
  await openHold(hold);
  // It leaves "in progress" without a reload (the overview polls while runs are active).
  await waitForStatus(request, sessionId, ["succeeded"]);
  await expect(page.getByTestId("no-running")).toBeVisible({ timeout: 15_000 });
  const recent = page.getByTestId("recent-sessions").getByTestId(`session-row-${sessionId}`);
  await expect(recent).toContainText(task);
  await expect(recent).toHaveAttribute("data-status", "succeeded");

  const total = Number(await page.getByTestId("total-sessions").textContent());
  expect(total).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId("escalation-rate")).toHaveText(/^\d+(\.\d)?%$/);
  await expect(page.getByTestId("reward-chart").locator("circle")).not.toHaveCount(0);
  await expect(page.getByTestId("cost-chart")).toBeVisible();
});

test("a new session appears on the overview after launching the demo", async ({ page, request }) => {
  const sessionId = await startRun(request, DEMO_CONFIG, `Overview demo ${unique()}`);
  await waitForStatus(request, sessionId, ["succeeded"]);
  await page.goto("/");
  await expect(page.getByTestId("recent-sessions").getByTestId(`session-row-${sessionId}`)).toBeVisible();
});
