/** The rough edges a new user hit on a tour of the dashboard, each fixed and checked in a real browser. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_CONFIG } from "./fixtures/e2e-env";
import { collectPageErrors, expandStep, startRun, unique, waitForStatus } from "./fixtures/session-helpers";

const DEMO_TEXT = readFileSync(fileURLToPath(new URL("../configs/examples/demo_offline.yaml", import.meta.url)), "utf8");

/** Replaces the whole editor text the way a paste does (no auto-indent); the cursor ends after it. */
async function replaceEditorText(page: Page, text: string) {
  const content = page.getByTestId("config-editor").locator(".cm-content");
  await content.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(text);
}

test("a finished session: long task collapsed, Run again by id (no 431), honest counters, reward and event log", async ({ page, request }) => {
  const errors = collectPageErrors(page);
  const task = `Plan a team offsite ${unique()} ${"with many constraints ".repeat(900)}`.trim();
  expect(task.length).toBeGreaterThan(18_000);
  const sessionId = await startRun(request, DEMO_CONFIG, task);
  expect(await waitForStatus(request, sessionId, ["succeeded", "failed"])).toBe("succeeded");

  await page.goto(`/sessions/${sessionId}`);
  const shown = page.getByTestId("session-task");
  await expect(shown).toBeVisible();
  expect(((await shown.textContent()) ?? "").length).toBeLessThan(1_000);
  // The task's own "show all" (the final answer, which quotes the task, has one too).
  const showAll = shown.locator("xpath=..").getByRole("button", { name: /^Show all \(/ });
  await expect(showAll).toBeVisible();
  await showAll.click();
  await expect(shown).toHaveText(task);

  // The header counts what the rows show; the reward is the session's (succeeded), with its rule.
  await expect(page.getByTestId("session-progress")).toHaveText(/^3 of 3 done \/ 4$/);
  await expect(page.getByTestId("session-reward")).toHaveText(/^0\.\d\d$/);
  await expect(page.getByTestId("session-reward-qualifier")).toHaveCount(0);
  await expect(page.getByTestId("session-reward-rule")).toContainText("the mean of the final rewards of its judged steps");
  // Tokens as k/M with at most three digits before the point (never "2753.8k").
  await expect(page.getByTestId("session-tokens")).toHaveText(/^\d{1,3}(\.\d+)?[kM]? · /);
  await expect(page.getByTestId("event-log-complete")).toContainText("the session has ended");
  await expect(page.getByTestId("event-log-complete")).not.toContainText("added live");

  // How a step's aggregate is computed: the weighted mean of its judges.
  const step = await expandStep(page, 3);
  await expect(step.getByTestId("aggregate-formula").first()).toHaveText(/^\(\d\.\d\d×1 \+ \d\.\d\d×1\) \/ 2 = \d\.\d\d$/);

  const runAgain = page.getByTestId("run-again");
  await expect(runAgain).toHaveAttribute("href", `/runs/new?session=${sessionId}`);
  await runAgain.click();
  await page.waitForURL(new RegExp(`/runs/new\\?session=${sessionId}$`));
  await expect(page.getByTestId("task-input")).toHaveValue(task);
  await expect(page.getByTestId(`config-option-${DEMO_CONFIG}`).locator("input")).toBeChecked();
  expect(errors).toEqual([]);
});

test("an unknown page says so and leads back", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toContainText("This page does not exist");
  await page.getByTestId("not-found-home").click();
  await page.waitForURL((url) => url.pathname === "/");
});

test("config editor: completion and hover from the schema, did you mean, no stale verdict after a save, no page widening", async ({ page, request }) => {
  const errors = collectPageErrors(page);
  const name = `tour-${unique()}`;
  const created = await request.put(`/api/configs/${name}`, { data: { yaml: DEMO_TEXT, expectedVersion: 0 } });
  expect(created.status(), await created.text()).toBe(200);
  await page.goto(`/configs?name=${name}`);
  const panel = page.getByTestId("config-panel");
  await expect(panel).toHaveAttribute("data-name", name);
  const editor = page.getByTestId("config-editor");

  // Completion of keys at depth, then of the key's allowed values.
  await replaceEditorText(page, `${DEMO_TEXT.trimEnd()}\nstudent:\n  tool_ch`);
  await page.keyboard.press("Control+Space");
  const completions = page.locator(".cm-tooltip-autocomplete");
  await expect(completions).toContainText("tool_choice");
  // CodeMirror ignores Enter on a completion list younger than its interactionDelay (75 ms), so a fast
  // Enter would type a newline: wait out that minimum (a lower bound, met on any machine) before accepting.
  await page.waitForTimeout(200);
  await page.keyboard.press("Enter");
  await expect(editor.locator(".cm-activeLine")).toHaveText("  tool_choice: ");
  await page.keyboard.press("Control+Space");
  await expect(completions).toContainText("auto");
  await expect(completions).toContainText("required");
  await page.keyboard.press("Escape");

  // Hover docs for a key.
  await editor.locator(".cm-line").filter({ hasText: /^\s*max_retries:/ }).hover({ position: { x: 40, y: 6 } });
  await expect(page.getByTestId("schema-hover")).toContainText("orchestration.max_retries");
  await expect(page.getByTestId("schema-hover")).toContainText("Retries per step");

  // A misspelt key: did you mean, inline and from the server.
  await replaceEditorText(page, DEMO_TEXT.replace("max_parallel_steps", "max_paralel_steps"));
  await expect(page.getByTestId("config-issue")).toContainText('unknown key "max_paralel_steps" (did you mean "max_parallel_steps"?)');
  await panel.getByRole("button", { name: "Validate on server" }).click();
  await expect(page.getByTestId("server-validation")).toHaveAttribute("data-ok", "false");

  // A fixed text with one very long line: the diff scrolls, the page does not widen.
  const longLine = `# ${"a-very-long-comment-".repeat(200)}`;
  await replaceEditorText(page, `${DEMO_TEXT.trimEnd()}\n${longLine}\n`);
  await expect(page.getByTestId("config-diff")).toHaveAttribute("data-added", "1");
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  await panel.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("save-result")).toHaveText("Saved as version 2.");
  await expect(page.getByTestId("server-validation")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("export: the count follows the format, the filters live in the URL", async ({ page, request }) => {
  const tag = unique();
  const sessionId = await startRun(request, DEMO_CONFIG, `Export tour ${tag}`);
  await waitForStatus(request, sessionId, ["succeeded", "failed"]);

  await page.goto(`/export?format=pairs&q=${tag}`);
  await expect(page.getByTestId("export-format-pairs")).toBeChecked();
  await expect(page.getByTestId("export-q")).toHaveValue(tag);
  const count = page.getByTestId("export-count");
  await expect(count).toContainText("1 session");
  // The demo retries one step after guidance: one preference pair, though the session has 3 steps.
  await expect(page.getByTestId("export-line-count")).toHaveText("1");
  await expect(count).toContainText("preference pair.");

  await page.getByTestId("export-format-steps").check();
  await expect(page.getByTestId("export-line-count")).toHaveText("3");
  await expect(page).toHaveURL(new RegExp(`format=steps`));
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  await page.reload();
  await expect(page.getByTestId("export-format-steps")).toBeChecked();
  await expect(page.getByTestId("export-q")).toHaveValue(tag);
});
