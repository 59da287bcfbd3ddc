import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { DEMO_CONFIG } from "./fixtures/e2e-env";
import { startRun, unique, waitForStatus } from "./fixtures/session-helpers";

const tag = `exp${unique()}`;
const ids: number[] = [];

test.beforeAll(async ({ request }) => {
  for (const name of ["first", "second"]) ids.push(await startRun(request, DEMO_CONFIG, `Export ${name} ${tag}`));
  for (const id of ids) expect(await waitForStatus(request, id, ["succeeded", "failed", "cancelled"])).toBe("succeeded");
});

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test("the export page counts what matches, downloads it as JSONL in each format, and knows its own sessions on import", async ({ page }, testInfo) => {
  await page.goto("/export");
  await page.getByTestId("export-q").fill(tag);
  const count = page.getByTestId("export-count");
  await expect(count).toContainText("2 sessions");
  const stepsMatch = Number((await count.textContent())?.match(/([\d,]+) steps? match/)?.[1]?.replace(/,/g, ""));
  expect(stepsMatch).toBeGreaterThan(0);
  await expect(page.getByTestId("export-cli")).toHaveText(/atlas export .*--search/);

  const download = async () => {
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-download").click()]);
    return readFile((await file.path())!, "utf8");
  };

  const sessionsFile = await download();
  const records = jsonLines(sessionsFile);
  expect(records.map((record) => record.task).sort()).toEqual([`Export first ${tag}`, `Export second ${tag}`]);
  for (const record of records) {
    expect(Array.isArray(record.steps)).toBe(true);
    expect(record.final_answer).toEqual(expect.any(String));
    const metadata = record.session_metadata as { session_id: number; status: string };
    expect(ids).toContain(metadata.session_id);
    expect(metadata.status).toBe("succeeded");
  }

  await page.getByTestId("export-format-steps").check();
  const stepLines = jsonLines(await download());
  expect(stepLines).toHaveLength(stepsMatch);
  expect(stepLines[0]).toEqual(expect.objectContaining({ step_id: expect.any(Number), reward_score: expect.any(Number) }));

  // The demo retries one step after guidance, so each session yields a preference pair.
  await page.getByTestId("export-format-pairs").check();
  const pairs = jsonLines(await download());
  expect(pairs.length).toBeGreaterThanOrEqual(2);
  expect(pairs[0]).toEqual(expect.objectContaining({ rejected: expect.any(Object), accepted: expect.any(Object) }));

  const upload = testInfo.outputPath("sessions.jsonl");
  await mkdir(path.dirname(upload), { recursive: true });
  await writeFile(upload, sessionsFile);
  await page.getByTestId("import-file").setInputFiles(upload);
  await page.getByTestId("import-submit").click();
  // Exported from this database: its sessions are recognised by their identity, not imported twice.
  await expect(page.getByTestId("import-summary")).toContainText("imported 0, skipped 2 (already imported 2");
  await page.getByTestId("import-file").setInputFiles(upload);
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-summary")).toContainText("imported 0, skipped 2 (already imported 2");
});

test("a bad filter is explained and disables the download; the session page downloads one session", async ({ page }) => {
  await page.goto("/export");
  await page.getByTestId("export-min-reward").fill("2");
  await expect(page.getByRole("alert").filter({ hasText: "Fix these fields to export" })).toContainText("between 0 and 1");
  await expect(page.getByTestId("export-download")).toHaveAttribute("aria-disabled", "true");

  const [id] = ids;
  await page.goto(`/sessions/${id}`);
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Download JSONL/ }).click()]);
  const lines = jsonLines(await readFile((await file.path())!, "utf8"));
  expect(lines).toHaveLength(1);
  expect((lines[0]!.session_metadata as { session_id: number }).session_id).toBe(id);
});
