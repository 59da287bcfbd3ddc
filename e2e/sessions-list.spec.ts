import { expect, test } from "@playwright/test";
import { DEMO_CONFIG } from "./fixtures/e2e-env";
import { MARKERS } from "./fixtures/scripted-rules";
import { startRun, unique, waitForStatus } from "./fixtures/session-helpers";

const tag = `lst${unique()}`;
const ids: Record<string, number> = {};

function day(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

test.beforeAll(async ({ request }) => {
  for (const name of ["alpha", "beta", "gamma"]) {
    ids[name] = await startRun(request, DEMO_CONFIG, `Sessions list ${name} ${tag}`);
  }
  ids.slow = await startRun(request, "e2e/module-agent", `Sessions list slow ${MARKERS.slow} ${tag}`);
  await waitForStatus(request, ids.slow, ["running"]);
  expect((await request.post(`/api/sessions/${ids.slow}/cancel`)).ok()).toBe(true);
  for (const id of Object.values(ids)) await waitForStatus(request, id, ["succeeded", "cancelled", "failed"]);
});

test("the list shows every column and searches the task text from the URL", async ({ page }) => {
  await page.goto(`/sessions?q=${tag}`);
  const rows = page.getByTestId("sessions-table").locator("tbody tr");
  await expect(rows).toHaveCount(4);
  const alpha = page.getByTestId(`session-row-${ids.alpha}`);
  await expect(alpha).toHaveAttribute("data-status", "succeeded");
  await expect(alpha).toContainText(DEMO_CONFIG);
  await expect(alpha.getByTestId("row-reward")).toHaveText(/^0\.\d\d$/);
  await expect(page.getByTestId(`session-row-${ids.slow}`)).toHaveAttribute("data-status", "cancelled");
  await alpha.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${ids.alpha}$`));
});

test("filters by status, text, config, reward and date, and keeps them in the URL", async ({ page }) => {
  await page.goto(`/sessions?q=${tag}`);
  const rows = page.getByTestId("sessions-table").locator("tbody tr");
  await expect(rows).toHaveCount(4);

  await page.getByRole("checkbox", { name: "cancelled" }).check();
  await expect(page).toHaveURL(/status=cancelled/);
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId(`session-row-${ids.slow}`)).toBeVisible();
  await page.getByRole("checkbox", { name: "succeeded" }).check();
  await expect(rows).toHaveCount(4);

  await page.getByTestId("filter-q").fill(`beta ${tag}`);
  await page.getByTestId("apply-filters").click();
  await expect(page).toHaveURL(/q=beta/);
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId(`session-row-${ids.beta}`)).toBeVisible();

  // A shared link reproduces the same view.
  await page.goto(`/sessions?q=${tag}&config=e2e%2Fmodule-agent`);
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId("filter-config")).toHaveValue("e2e/module-agent");

  await page.goto(`/sessions?q=${tag}&minReward=0.99`);
  await expect(page.getByTestId("sessions-empty")).toContainText("No session matches these filters");
  await page.goto(`/sessions?q=${tag}&minReward=0.5&maxReward=1`);
  await expect(rows).toHaveCount(3);

  await page.goto(`/sessions?q=${tag}&from=${day(-1)}&to=${day(1)}`);
  await expect(rows).toHaveCount(4);
  await page.goto(`/sessions?q=${tag}&from=${day(2)}`);
  await expect(page.getByTestId("sessions-empty")).toBeVisible();

  await page.goto(`/sessions?q=${tag}&minReward=7`);
  await expect(page.getByTestId("session-filters")).toContainText("a reward between 0 and 1; ignored");
  await expect(rows).toHaveCount(4);
});

test("pages with a keyset cursor: load more appends the older sessions", async ({ page }) => {
  await page.goto(`/sessions?q=${tag}&limit=3`);
  const rows = page.getByTestId("sessions-table").locator("tbody tr");
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId("sessions-count")).toContainText("more are older");
  const firstPage = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute("data-testid")));
  await page.getByTestId("load-more-sessions").click();
  await expect(rows).toHaveCount(4);
  await expect(page.getByTestId("load-more-sessions")).toHaveCount(0);
  const all = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute("data-testid")));
  expect(all.slice(0, 3)).toEqual(firstPage);
  expect(new Set(all).size).toBe(4);
  // Newest first.
  expect(all[3]).toBe(`session-row-${ids.alpha}`);
});

test("an empty result explains itself", async ({ page }) => {
  await page.goto(`/sessions?q=no-such-task-${unique()}`);
  await expect(page.getByTestId("sessions-empty")).toContainText("No session matches these filters");
});
