import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
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
