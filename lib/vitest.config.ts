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
    hookTimeout: 120_000,
    testTimeout: 60_000,
    // Two cores and PGlite instances of ~400 MB each: keep file parallelism modest.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
