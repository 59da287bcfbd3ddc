/**
 * The launch page shows `atlas doctor`'s check for the selected config before Launch: where each LLM
 * goes, which keys are missing, whether the agent loads, and with a ping whether each provider answers.
 */
import { expect, test } from "@playwright/test";
import { DEMO_CONFIG, e2eLlmUrl } from "./fixtures/e2e-env";
import { collectPageErrors } from "./fixtures/session-helpers";

test("the offline demo: built-in model, no key needed, the module agent loads, no problems", async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto("/runs/new");
  await expect(page.getByTestId(`config-option-${DEMO_CONFIG}`).locator("input")).toBeChecked();
  const check = page.getByTestId("config-check");
  await expect(check.getByTestId("config-check-llm-teacher.llm")).toContainText("builtin demo");
  await expect(check.getByTestId("config-check-llm-teacher.llm")).toContainText("none needed");
  await expect(check.getByTestId("config-check-agent")).toContainText("demo_agent.mjs");
  await expect(check.getByTestId("config-check-agent")).toContainText("loads");
  await expect(check.getByTestId("config-check-ok")).toBeVisible();
  expect(errors).toEqual([]);
});

test("a config whose key is not set says so before Launch", async ({ page }) => {
  await page.goto("/runs/new");
  await page.getByTestId("config-option-e2e/missing-key").locator("input").check();
  const check = page.getByTestId("config-check");
  await expect(check.getByTestId("config-check-llm-teacher.llm")).toContainText("E2E_UNSET_API_KEY");
  await expect(check.getByTestId("config-check-llm-teacher.llm")).toContainText("not set");
  await expect(check.getByTestId("config-check-problems")).toContainText("teacher.llm: environment variable E2E_UNSET_API_KEY is not set");
});

test("the mixed-provider example shows each provider's endpoint and key variable", async ({ page }) => {
  await page.goto("/runs/new");
  await page.getByTestId("config-option-examples/mixed_providers").locator("input").check();
  const check = page.getByTestId("config-check");
  await expect(check.getByTestId("config-check-llm-rim.small_model")).toContainText("https://api.x.ai/v1");
  await expect(check.getByTestId("config-check-llm-rim.small_model")).toContainText("grok-4-fast");
  await expect(check.getByTestId("config-check-llm-rim.large_model")).toContainText("GEMINI_API_KEY");
  await expect(check.getByTestId("config-check-llm-agent.llm")).toContainText("anthropic");
});

test("ping the providers: every LLM of a fixture config answers", async ({ page }) => {
  await page.goto("/runs/new");
  await page.getByTestId("config-option-e2e/module-agent").locator("input").check();
  const check = page.getByTestId("config-check");
  await expect(check.getByTestId("config-check-llm-teacher.llm")).toContainText(e2eLlmUrl());
  await check.getByTestId("config-check-ping").click();
  for (const path of ["teacher.llm", "rim.small_model", "rim.large_model"]) {
    await expect(check.getByTestId(`config-check-llm-${path}`)).toContainText(/answered in \d+ ms/);
  }
  await expect(check.getByTestId("config-check-ok")).toContainText("every provider answered");
});
