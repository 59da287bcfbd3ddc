/**
 * Server modules start with `import "server-only"`: inside Next.js the import resolves to an empty
 * module on the server (its `react-server` export) and fails the build in a client bundle. A plain Node
 * process that runs Atlas's sources (the `atlas` CLI, benchmarks, test children) is the server side
 * too, so this hook resolves `server-only` there the same way. Nothing else changes: the `react-server`
 * condition is added for that one specifier only.
 *
 * Use: imported first by lib/cli/bin.mjs; elsewhere `node --import tsx --import ./lib/server/server-only-hooks.mjs …`
 * (or `tsx --import ./lib/server/server-only-hooks.mjs …`). Vitest aliases the package in lib/vitest.config.ts.
 */
import { register } from "node:module";

const HOOKS = `
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== "server-only") return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
}
`;

register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
