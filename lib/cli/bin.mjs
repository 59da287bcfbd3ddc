#!/usr/bin/env node
// The `atlas` command runs straight from the TypeScript sources (no build step) through tsx.
import "../server/server-only-hooks.mjs";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
const { main } = await import("./main.ts");
process.exitCode = await main(process.argv.slice(2));
