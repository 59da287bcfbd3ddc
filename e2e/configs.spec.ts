import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";

const EXAMPLE = "examples/http_agent";
const EXAMPLE_TEXT = readFileSync(fileURLToPath(new URL("../configs/examples/http_agent.yaml", import.meta.url)), "utf8");
const NEW_NAME = `team/support-${Date.now().toString(36)}`;

/** Where `needle` starts in `text`, 1-based, as the config parser reports positions. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} is not in the example; update this spec`);
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** Replaces the whole editor text the way a paste does (no auto-indent). */
async function replaceEditorText(page: Page, text: string) {
  const content = page.getByTestId("config-editor").locator(".cm-content");
  await content.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(text);
}

test("configs API: validation is a result, bad input is a 400, examples are read-only", async ({ request }) => {
  const schema = await request.get("/api/configs/schema");
  expect(schema.status()).toBe(200);
  expect((await schema.json()).properties).toHaveProperty("agent");

  expect(await (await request.post("/api/configs/validate", { data: { yaml: EXAMPLE_TEXT } })).json()).toEqual({ ok: true });
  const invalid = await request.post("/api/configs/validate", { data: { yaml: "agent: 3\n" } });
  expect(invalid.status()).toBe(200);
  const verdict = await invalid.json();
  expect(verdict.ok).toBe(false);
  expect(verdict.issues).toContainEqual(expect.objectContaining({ path: "agent", line: 1, column: 8 }));

  const malformed = await request.post("/api/configs/validate", { data: Buffer.from("{not json"), headers: { "content-type": "application/json" } });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error.message).toContain("not valid JSON");
  const missingYaml = await request.put("/api/configs/api-check", { data: { text: "x" } });
  expect(missingYaml.status()).toBe(400);
  expect((await missingYaml.json()).error.issues.map((issue: { path: string }) => issue.path)).toContain("yaml");

  const readOnly = await request.put(`/api/configs/${EXAMPLE}`, { data: { yaml: EXAMPLE_TEXT } });
  expect(readOnly.status()).toBe(409);
  expect((await request.get("/api/configs/no-such-config")).status()).toBe(404);
  expect((await request.get(`/api/configs/${EXAMPLE}?version=abc`)).status()).toBe(400);

  const created = await request.put("/api/configs/api-check", { data: { yaml: EXAMPLE_TEXT, expectedVersion: 0 } });
  expect(created.status()).toBe(200);
  expect(await created.json()).toMatchObject({ name: "api-check", version: 1, created: true });
  const stale = await request.put("/api/configs/api-check", { data: { yaml: EXAMPLE_TEXT.replace("0.2", "0.4"), expectedVersion: 0 } });
  expect(stale.status()).toBe(409);
  const rejected = await request.put("/api/configs/api-check", { data: { yaml: "agent: 3\n" } });
  expect(rejected.status()).toBe(400);
  expect((await rejected.json()).error).toMatchObject({ code: "invalid_config", message: "config api-check is invalid" });

  const listed = (await (await request.get("/api/configs")).json()).configs as { name: string; source: string }[];
  expect(listed).toContainEqual(expect.objectContaining({ name: "api-check", source: "saved" }));
  expect(listed).toContainEqual(expect.objectContaining({ name: EXAMPLE, source: "example" }));
});

test("edit an example's copy: inline diagnostics, refused save, versions 1 and 2 with a diff, persisted", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));

  await page.goto("/configs");
  await expect(page.getByRole("heading", { level: 1, name: "Configs" })).toBeVisible();
  await page.locator(`[data-testid="config-list-item"][data-name="${EXAMPLE}"]`).click();

  const panel = page.getByTestId("config-panel");
  await expect(panel).toHaveAttribute("data-name", EXAMPLE);
  await expect(panel.getByTestId("read-only-badge")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
  await expect(page.getByTestId("config-editor")).toHaveAttribute("data-readonly", "true");
  await expect(page.getByTestId("config-issues")).toHaveAttribute("data-count", "0");

  await panel.getByRole("button", { name: "Save as…" }).click();
  await page.getByTestId("new-config-name").fill(NEW_NAME);
  await page.getByTestId("new-config-create").click();
  await expect(page).toHaveURL(new RegExp(`name=${encodeURIComponent(NEW_NAME)}`));
  await expect(panel).toHaveAttribute("data-name", NEW_NAME);
  await expect(panel.getByTestId("config-version")).toHaveText("unsaved draft");
  await expect(page.getByTestId("config-editor")).toHaveAttribute("data-readonly", "false");

  // A string where the teacher's temperature (a number) belongs.
  const broken = EXAMPLE_TEXT.replace("temperature: 0.2", "temperature: hot");
  const { line, column } = positionOf(broken, "hot");
  await replaceEditorText(page, broken);

  const issue = page.getByTestId("config-issue");
  await expect(issue).toHaveCount(1);
  await expect(issue).toContainText(`${line}:${column} teacher.llm.temperature: expected a number`);
  await issue.click();
  const editor = page.getByTestId("config-editor");
  await expect(editor.locator(".cm-lineNumbers .cm-activeLineGutter")).toHaveText(String(line));
  await expect(editor.locator(".cm-activeLine .cm-lintRange-error")).toHaveText("hot");
  await expect(editor.locator(".cm-lint-marker-error")).toHaveCount(1);

  await panel.getByRole("button", { name: "Save", exact: true }).click();
  const saveError = page.getByTestId("save-error");
  await expect(saveError).toContainText(`config ${NEW_NAME} is invalid`);
  await expect(saveError).toContainText(`${line}:${column} teacher.llm.temperature: expected a number`);
  await expect(panel.getByTestId("config-version")).toHaveText("unsaved draft");

  await panel.getByRole("button", { name: "Validate on server" }).click();
  await expect(page.getByTestId("server-validation")).toHaveAttribute("data-ok", "false");

  await replaceEditorText(page, EXAMPLE_TEXT);
  await expect(page.getByTestId("config-issues")).toHaveAttribute("data-count", "0");
  await panel.getByRole("button", { name: "Validate on server" }).click();
  await expect(page.getByTestId("server-validation")).toHaveAttribute("data-ok", "true");
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("save-result")).toHaveText("Saved as version 1.");
  await expect(panel.getByTestId("config-version")).toHaveText("v1");
  await expect(page.getByTestId("config-version-row")).toHaveCount(1);

  const edited = EXAMPLE_TEXT.replace("temperature: 0.2", "temperature: 0.3");
  await replaceEditorText(page, edited);
  const diff = page.getByTestId("config-diff");
  await expect(diff).toHaveAttribute("data-added", "1");
  await expect(diff).toHaveAttribute("data-removed", "1");
  await expect(diff.locator('[data-kind="removed"]')).toContainText("temperature: 0.2");
  await expect(diff.locator('[data-kind="added"]')).toContainText("temperature: 0.3");
  await expect(diff).toContainText("version 1 (latest)");

  await panel.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("save-result")).toHaveText("Saved as version 2.");
  await expect(panel.getByTestId("config-version")).toHaveText("v2");
  await expect(page.getByTestId("config-version-row")).toHaveCount(2);
  await expect(diff).toHaveAttribute("data-added", "0");
  await panel.getByRole("button", { name: "Compare with v1" }).click();
  await expect(diff).toHaveAttribute("data-added", "1");
  await expect(diff.locator('[data-kind="added"]')).toContainText("temperature: 0.3");

  await page.reload();
  await expect(panel).toHaveAttribute("data-name", NEW_NAME);
  await expect(panel.getByTestId("config-version")).toHaveText("v2");
  await expect(page.getByTestId("config-version-row")).toHaveCount(2);
  await expect(diff).toContainText("No differences from version 2 (latest)");
  // The editor renders only the lines in view, so read the stored text through the diff against v1.
  await panel.getByRole("button", { name: "Compare with v1" }).click();
  await expect(diff.locator('[data-kind="added"]')).toHaveText(/temperature: 0\.3/);
  await expect(page.locator(`[data-testid="config-list-item"][data-name="${NEW_NAME}"]`)).toContainText("v2");

  expect(errors).toEqual([]);
});
