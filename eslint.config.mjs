/**
 * ESLint enforces the layers of the code base, not a style: import boundaries per layer and the
 * 400-line limit for library files. Formatting and taste are left alone on purpose.
 * The planted-violation tests of these rules are in lib/lint/boundaries.test.ts.
 */
import { builtinModules } from "node:module";
import tseslint from "typescript-eslint";
import { importBoundariesPlugin } from "./lib/lint/import-boundaries.mjs";

const DATABASE = ["@/lib/db", "drizzle-orm", "pg", "@electric-sql/pglite", "@neondatabase/serverless"];
const RUN_MANAGER = ["@/lib/runs"];
const NODE_BUILTINS = ["node:", ...builtinModules];
const SERVER_ONLY = ["@/lib/server", "server-only"];
const FRAMEWORK = ["next", "react", "react-dom"];

/**
 * Browser-side library modules: everything a client component can load, i.e. what components/** and
 * "use client" files import, transitively. Keep this list in step with those imports:
 * lib/lint/boundaries.test.ts walks the imports of components/** and fails when they reach a lib module
 * that is not listed here. A folder is listed whole when all of it is browser-side; otherwise by file.
 */
const BROWSER_LIB = [
  "lib/trajectory/**",
  "lib/session-view/**",
  "lib/config/**",
  "lib/configs/issue-range.ts",
  "lib/configs/line-diff.ts",
  "lib/configs/names.ts",
  "lib/configs/types.ts",
  "lib/export/filters.ts",
  "lib/health/api-types.ts",
  "lib/http/api-client.ts",
  "lib/http/sse.ts",
  "lib/llm/providers.ts",
  "lib/sessions/api-types.ts",
  "lib/review/api-types.ts",
  "lib/review/client.ts",
  "lib/review/queue-keys.ts",
  "lib/review/drift.ts",
  "lib/review/agreement.ts",
  "lib/errors.ts",
  "lib/query-client.ts",
  "lib/seeded-random.ts",
  "lib/task-sets/api-types.ts",
  "lib/task-sets/csv.ts",
  "lib/task-sets/parse.ts",
  "lib/experiments/api-types.ts",
];
/** Node-only files inside folders that are otherwise browser-side. */
const NODE_FILES_IN_BROWSER_FOLDERS = ["lib/config/load-file.ts", "lib/config/code-location.ts"];

/** The engine: plain async code that takes an AbortSignal and knows nothing of storage, HTTP or React. */
const ENGINE = ["lib/runtime/**", "lib/reward/**", "lib/llm/**", "lib/adapters/**"];

/** Tests and their helpers may wire any layers together; the boundaries constrain what ships. */
const TESTS = ["**/*.test.ts", "**/*.test.tsx", "**/testing/**"];

const LAYERS = {
  browser: {
    layer: "Browser-side code",
    forbid: [
      { modules: DATABASE, reason: "the database layer is server-only" },
      { modules: RUN_MANAGER, reason: "the run manager lives in the server process" },
      { modules: SERVER_ONLY, reason: "server modules must not reach the browser bundle" },
      { modules: NODE_BUILTINS, reason: "Node built-ins do not exist in the browser" },
    ],
  },
  engine: {
    layer: "The engine (lib/runtime, lib/reward, lib/llm, lib/adapters)",
    forbid: [
      { modules: DATABASE, reason: "the engine records through the store it is given, never the database" },
      { modules: RUN_MANAGER, reason: "the run manager drives the engine, not the other way round" },
      { modules: FRAMEWORK, reason: "the engine knows nothing of Next.js or React" },
      { modules: ["@/lib/config/load-file"], reason: "the caller reads config files; the engine takes a parsed config" },
    ],
  },
  trajectory: {
    layer: "The shared vocabulary (lib/trajectory)",
    allowOnly: { modules: ["zod", "@/lib/trajectory"], reason: "it imports only zod and itself" },
  },
};

const boundaries = importBoundariesPlugin(Object.keys(LAYERS));
const layerRule = (name, extra = {}) => ({ [`atlas/${name}`]: ["error", { ...LAYERS[name], ...extra }] });

export default [
  { ignores: [".next/**", "node_modules/**", "e2e/.output/**", "bench/.output/**", "drizzle/**", ".atlas/**", "next-env.d.ts"] },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  {
    files: ["**/*.{ts,tsx,mts,cts}"],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  { files: ["**/*.{ts,tsx,mts,cts,js,mjs}"], plugins: { atlas: boundaries } },
  {
    files: ["components/**", ...BROWSER_LIB],
    ignores: [...TESTS, ...NODE_FILES_IN_BROWSER_FOLDERS],
    rules: layerRule("browser"),
  },
  { files: ["app/**"], ignores: TESTS, rules: layerRule("browser", { onlyClientModules: true }) },
  { files: ENGINE, ignores: TESTS, rules: layerRule("engine") },
  { files: ["lib/trajectory/**"], ignores: TESTS, rules: layerRule("trajectory") },
  {
    files: ["lib/**/*.{ts,tsx,mjs}"],
    ignores: [...TESTS, "lib/testing/**"],
    rules: { "max-lines": ["error", { max: 400 }] },
  },
];
