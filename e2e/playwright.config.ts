import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";
import { e2eLlmUrl } from "./fixtures/e2e-env";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env.E2E_PORT ?? 3100);
/** The e2e server gets its own embedded database, fresh for every run (PGlite allows one process per folder). */
const dataDir = path.join(root, "e2e", ".output", "pgdata");
// Workers load this file too: only the runner may clear the folder, before it starts the server.
if (process.env.TEST_WORKER_INDEX === undefined) rmSync(dataDir, { recursive: true, force: true });

export default defineConfig({
  testDir: ".",
  outputDir: path.join(root, "e2e", ".output", "results"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // The scripted LLM and HTTP agent the runs talk to; it also saves the fixture configs (after the web server is up).
  globalSetup: "./global-setup.ts",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    // Always test a fresh production build, then start it the way `npm start` does.
    command: "node node_modules/next/dist/bin/next build && node lib/cli/bin.mjs serve",
    cwd: root,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    // A hang detector, not a speed bound: the production build alone took over 4 minutes on a loaded 2-core machine.
    timeout: 1_200_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      ATLAS_DATA_DIR: dataDir,
      DATABASE_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
      // Read by the e2e module and python agents, which forward their calls to the scripted server.
      E2E_LLM_URL: e2eLlmUrl(),
      // The fixture configs' module and python agents live here, beside the default folder.
      ATLAS_AGENT_PATHS: [path.join(root, "configs"), path.join(root, "e2e", "fixtures", "agents")].join(path.delimiter),
    },
  },
});
