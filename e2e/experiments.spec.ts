import { expect, test } from "@playwright/test";
import { DEMO_CONFIG } from "./fixtures/e2e-env";
import { unique } from "./fixtures/session-helpers";

const MODULE_CONFIG = "e2e/module-agent";

test("import a task set, run two configs over it, watch progress, compare, open a task side by side", async ({ page, request }) => {
  test.setTimeout(180_000);
  const tag = unique();
  const setName = `e2e tasks ${tag}`;

  await page.goto("/task-sets");
  // A bad file is refused by line, and nothing is stored.
  await page.getByTestId("task-set-name").fill(`bad ${tag}`);
  await page.getByTestId("task-set-text").fill('{"task": "fine"}\n{"task": ""}\n');
  await page.getByTestId("task-set-import").click();
  await expect(page.getByRole("alert").filter({ hasText: "Nothing was stored" })).toContainText("line 2.task");
  const afterBad = (await (await request.get("/api/task-sets")).json()) as { taskSets: { name: string }[] };
  expect(afterBad.taskSets.map((set) => set.name)).not.toContain(`bad ${tag}`);

  const lines = ["Plan a picnic", "Summarise a meeting", "Name three colours"].map((task) => JSON.stringify({ task: `${task} ${tag}`, expected_answer: "ok" }));
  await page.getByTestId("task-set-file").setInputFiles({ name: "tasks.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(`# e2e\n${lines.join("\n")}\n`) });
  await page.getByTestId("task-set-name").fill(setName);
  await page.getByTestId("task-set-import").click();
  await expect(page.getByTestId("task-set-created")).toContainText("3 tasks");
  await expect(page.getByTestId("task-set-list")).toContainText(setName);

  await page.goto("/experiments");
  await page.getByTestId("experiment-task-set").selectOption({ label: `${setName} (3 tasks)` });
  await page.getByRole("checkbox", { name: MODULE_CONFIG, exact: true }).check();
  await page.getByRole("checkbox", { name: DEMO_CONFIG, exact: true }).check();
  await page.getByTestId("experiment-name").fill(`e2e ${tag}`);
  await page.getByTestId("experiment-start").click();
  await page.waitForURL(/\/experiments\/\d+$/);

  // Progress follows the run until every cell is done.
  await expect(page.getByTestId("count-total")).toHaveText("6");
  await expect(page.getByTestId("experiment-status")).toHaveText("completed", { timeout: 150_000 });
  await expect(page.getByTestId("count-succeeded")).toHaveText("6");
  await expect(page.getByTestId("count-pending")).toHaveText("0");
  await expect(page.getByTestId("run-status")).toHaveCount(6);

  await page.getByTestId("open-compare").click();
  await page.waitForURL(/\/compare\?base=\d+&candidate=\d+$/);
  await expect(page.getByTestId("summary-n")).toHaveText("3");
  await expect(page.getByTestId("compare-row")).toHaveCount(3);
  await expect(page.getByTestId("summary-ci")).toHaveText(/^\[[+-]?\d\.\d{3}, [+-]?\d\.\d{3}\]$/);
  await expect(page.getByTestId("reward-histogram")).toBeVisible();
  await expect(page.getByTestId("reward-cost-scatter")).toBeVisible();

  await page.getByTestId("open-side-by-side").first().click();
  await page.waitForURL(/\/side-by-side\?/);
  await expect(page.getByTestId("side-base")).toBeVisible();
  await expect(page.getByTestId("side-candidate")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(tag);
  await expect(page.getByTestId("side-base").getByTestId("final-answer")).not.toHaveText("(no final answer)");
  await expect(page.getByTestId("side-steps").locator("tbody tr").first()).toBeVisible();
});
