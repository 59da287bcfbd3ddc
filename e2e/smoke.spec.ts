import { expect, test } from "@playwright/test";

const PAGES = [
  { path: "/", heading: "Overview" },
  { path: "/runs/new", heading: "Launch a run" },
  { path: "/sessions", heading: "Sessions" },
  { path: "/configs", heading: "Configs" },
  { path: "/export", heading: "Export" },
];

test("the health check reports the embedded database, fully migrated", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.database.driver).toBe("pglite");
  expect(body.database.migrations.pending).toBe(0);
  expect(body.database.migrations.applied).toBeGreaterThan(0);
});

for (const page of PAGES) {
  test(`${page.path} opens with navigation and no errors`, async ({ page: browser }) => {
    const errors: string[] = [];
    browser.on("pageerror", (error) => errors.push(error.message));
    browser.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    const response = await browser.goto(page.path);
    expect(response?.status()).toBe(200);
    await expect(browser.getByRole("heading", { level: 1, name: page.heading })).toBeVisible();
    const nav = browser.getByRole("navigation", { name: "Main" });
    for (const label of ["Overview", "Runs", "Sessions", "Configs", "Export"]) {
      await expect(nav.getByRole("link", { name: label })).toBeVisible();
    }
    expect(errors).toEqual([]);
  });
}
