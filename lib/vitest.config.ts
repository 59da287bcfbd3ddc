import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root,
  resolve: {
    alias: {
      "@": root,
      // Tests run on the server side: `server-only` is the empty module Next.js resolves it to there.
      "server-only": fileURLToPath(new URL("../node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts"],
    environment: "node",
    // Hang detectors, not performance bounds: a loaded two-core machine runs a CLI subprocess that opens
    // a fresh embedded database in tens of seconds, and no test may fail for being slow.
    hookTimeout: 300_000,
    testTimeout: 300_000,
    // Two cores and PGlite instances of ~400 MB each: keep file parallelism modest.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
