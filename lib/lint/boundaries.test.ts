/**
 * The layer rules of eslint.config.mjs, run through ESLint's Node API on planted files: each rule
 * rejects a static import, a re-export and an import() across its boundary and accepts an allowed import.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The rule ids ESLint reports for `code` as if it were the file at `file` (repository-relative). */
async function ruleIdsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  const messages = result?.messages ?? [];
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`${file} did not parse: ${fatal.message}`);
  return messages.map((message) => message.ruleId ?? "(none)");
}

async function expectRejected(rule: string, file: string, code: string): Promise<void> {
  expect(await ruleIdsFor(file, code), `${file}: ${code}`).toEqual([rule]);
}

async function expectAccepted(file: string, code: string): Promise<void> {
  expect(await ruleIdsFor(file, code), `${file}: ${code}`).toEqual([]);
}

describe("atlas/browser: components and browser-side lib modules", () => {
  const rule = "atlas/browser";
  const component = "components/planted/widget.tsx";
  const browserLib = "lib/session-view/planted.ts";

  it("rejects the database layer and its drivers, statically, as a re-export and through import()", async () => {
    await expectRejected(rule, component, 'import { getDatabase } from "@/lib/db/client";\n');
    await expectRejected(rule, component, 'import type { AtlasDb } from "@/lib/db/types";\n');
    await expectRejected(rule, component, 'export { sessions } from "@/lib/db/schema";\n');
    await expectRejected(rule, component, 'export const open = () => import("@/lib/db/client");\n');
    await expectRejected(rule, browserLib, 'import { sql } from "drizzle-orm";\n');
    await expectRejected(rule, browserLib, 'import pg from "pg";\n');
    await expectRejected(rule, browserLib, 'export const load = () => import("@electric-sql/pglite");\n');
    await expectRejected(rule, browserLib, 'export * from "@neondatabase/serverless";\n');
    await expectRejected(rule, browserLib, 'import { openDatabase } from "../db/open";\n');
  });

  it("rejects the run manager and server modules", async () => {
    await expectRejected(rule, component, 'import { getRunManager } from "@/lib/runs/process";\n');
    await expectRejected(rule, browserLib, 'export const load = () => import("@/lib/runs/run-manager");\n');
    await expectRejected(rule, browserLib, 'import { shutdown } from "@/lib/server/shutdown";\n');
    await expectRejected(rule, browserLib, 'import "server-only";\n');
  });

  it("rejects Node built-ins, prefixed and bare", async () => {
    await expectRejected(rule, component, 'import { readFile } from "node:fs/promises";\n');
    await expectRejected(rule, component, 'import path from "path";\n');
    await expectRejected(rule, browserLib, 'export const load = () => import("node:child_process");\n');
    await expectRejected(rule, browserLib, 'export { createHash } from "crypto";\n');
  });

  it("rejects them in a 'use client' file under app/, and leaves server files under app/ alone", async () => {
    await expectRejected(rule, "app/planted/client-part.tsx", '"use client";\nimport { getDatabase } from "@/lib/db/client";\n');
    await expectAccepted("app/planted/page.tsx", 'import { getDatabase } from "@/lib/db/client";\n');
  });

  it("accepts browser-side modules and packages", async () => {
    await expectAccepted(component, 'import { useQuery } from "@tanstack/react-query";\nimport { EVENT_TYPES } from "@/lib/trajectory";\n');
    await expectAccepted(component, 'export const load = () => import("@/lib/session-view/apply-event");\n');
    await expectAccepted(browserLib, 'import { parseSseStream } from "@/lib/http/sse";\nimport { z } from "zod";\n');
  });

  it("does not apply to tests, testing helpers or the Node-only config loader", async () => {
    await expectAccepted("components/planted/widget.test.ts", 'import { readFile } from "node:fs/promises";\n');
    await expectAccepted("lib/session-view/testing/planted.ts", 'import { getDatabase } from "@/lib/db/client";\n');
    await expectAccepted("lib/config/load-file.ts", 'import { readFile } from "node:fs/promises";\n');
  });
});

describe("atlas/engine: lib/runtime, lib/reward, lib/llm, lib/adapters", () => {
  const rule = "atlas/engine";

  it("rejects the database layer, the run manager and the frameworks, statically and through import()", async () => {
    await expectRejected(rule, "lib/runtime/planted.ts", 'import { getDatabase } from "@/lib/db/client";\n');
    await expectRejected(rule, "lib/runtime/planted.ts", 'export const open = () => import("@/lib/db/session-store");\n');
    await expectRejected(rule, "lib/reward/planted.ts", 'export { Pool } from "pg";\n');
    await expectRejected(rule, "lib/llm/planted.ts", 'export const load = () => import("@/lib/runs/process");\n');
    await expectRejected(rule, "lib/adapters/planted.ts", 'import { NextResponse } from "next/server";\n');
    await expectRejected(rule, "lib/adapters/planted.ts", 'import { useState } from "react";\n');
    await expectRejected(rule, "lib/llm/planted.ts", 'export const load = () => import("react-dom/server");\n');
    await expectRejected(rule, "lib/runtime/planted.ts", 'export const load = () => import("@/lib/config/load-file");\n');
  });

  it("accepts the vocabulary, the other engine parts and Node built-ins", async () => {
    await expectAccepted(
      "lib/runtime/planted.ts",
      'import { readFile } from "node:fs/promises";\nimport OpenAI from "openai";\nimport type { Plan } from "@/lib/trajectory";\n' +
        'export const load = () => import("@/lib/adapters");\n',
    );
  });

  it("lets engine tests wire in the database", async () => {
    await expectAccepted("lib/runtime/planted.test.ts", 'import { getDatabase } from "@/lib/db/client";\n');
  });
});

describe("atlas/trajectory: the shared vocabulary imports only zod and itself", () => {
  const rule = "atlas/trajectory";
  const file = "lib/trajectory/planted.ts";

  it("rejects any other module, statically, as a re-export and through import()", async () => {
    await expectRejected(rule, file, 'import { AtlasError } from "@/lib/errors";\n');
    await expectRejected(rule, file, 'import { parse } from "../config/parse";\n');
    await expectRejected(rule, file, 'export * from "yaml";\n');
    await expectRejected(rule, file, 'export const load = () => import("@/lib/llm/types");\n');
  });

  it("rejects what the browser rule rejects, reported once", async () => {
    // The file is browser-side too: both layer rules apply, and both report.
    expect((await ruleIdsFor(file, 'import { readFile } from "node:fs";\n')).sort()).toEqual(["atlas/browser", "atlas/trajectory"]);
  });

  it("accepts zod and its own files", async () => {
    await expectAccepted(file, 'import { z } from "zod";\nimport { PlanSchema } from "./plan";\nexport * from "@/lib/trajectory/status";\n');
  });
});

describe("max-lines: library files stay at 400 lines", () => {
  const lines = (count: number) => Array.from({ length: count }, (_, index) => `export const value${index} = ${index};`).join("\n");

  it("rejects 401 lines in a library file and accepts 400", async () => {
    await expectRejected("max-lines", "lib/runtime/planted.ts", lines(401));
    await expectAccepted("lib/runtime/planted.ts", lines(400));
  });

  it("does not count tests or testing helpers", async () => {
    await expectAccepted("lib/runtime/planted.test.ts", lines(600));
    await expectAccepted("lib/runtime/testing/planted.ts", lines(600));
    await expectAccepted("lib/testing/planted.ts", lines(600));
  });
});

describe("the browser-side list in eslint.config.mjs", () => {
  it("covers every lib module that components and 'use client' files load", async () => {
    const reached = browserReachableLibFiles();
    expect(reached.length).toBeGreaterThan(10);
    const unlisted: string[] = [];
    for (const file of reached) {
      const config = (await eslint.calculateConfigForFile(path.join(root, file))) as { rules?: Record<string, unknown> };
      if (!config.rules?.["atlas/browser"]) unlisted.push(file);
    }
    expect(unlisted, "add these to BROWSER_LIB in eslint.config.mjs (or stop importing them from the browser)").toEqual([]);
  });
});

/** Repository-relative lib files that a browser bundle can contain (type-only imports are erased). */
function browserReachableLibFiles(): string[] {
  const starts = [...sourceFiles("components"), ...sourceFiles("app").filter((file) => /^\s*["']use client["']/.test(readFileSync(file, "utf8")))];
  const seen = new Set<string>();
  const pending = starts.filter((file) => !/\.test\.tsx?$/.test(file));
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of runtimeImports(file)) {
      const target = resolveLocal(file, specifier);
      if (target) pending.push(target);
    }
  }
  return [...seen].map((file) => path.relative(root, file).split(path.sep).join("/")).filter((file) => file.startsWith("lib/")).sort();
}

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name)) found.push(full);
    }
  };
  walk(path.join(root, folder));
  return found;
}

function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((element) => element.isTypeOnly));
      if (!typeOnly) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) specifiers.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return null;
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!found) throw new Error(`${path.relative(root, from)} imports ${specifier}, which does not resolve`);
  return found;
}
