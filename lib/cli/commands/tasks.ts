/**
 * `atlas tasks import FILE --name NAME [--database-url URL]`: stores a JSONL or CSV task file as a
 * named, immutable task set. Every bad line is printed as FILE:LINE: message and nothing is stored.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { openMigratedDatabase } from "@/lib/db/open";
import { resolveDatabaseTarget } from "@/lib/db/target";
import { AtlasError, isAtlasError } from "@/lib/errors";
import { CreateTaskSetSchema } from "@/lib/task-sets/api-types";
import { detectTaskFileFormat, parseTaskFile } from "@/lib/task-sets/parse";
import { createTaskSet } from "@/lib/task-sets/service";
import { parseCommandArgs } from "../args";
import { UsageError, type Command } from "../io";

export const tasksCommand: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub !== "import") throw new UsageError(sub ? `unknown subcommand "${sub}"` : "give a subcommand: import");
  const { values, positionals } = parseCommandArgs(rest, { name: { type: "string" }, "database-url": { type: "string" } }, true);
  if (positionals.length !== 1) throw new UsageError("give exactly one task file (JSONL or CSV)");
  if (!values.name?.trim()) throw new UsageError("--name NAME is required");
  const shown = positionals[0]!;
  const text = await readTextFile(path.resolve(io.cwd, shown), shown);
  let tasks;
  try {
    tasks = parseTaskFile(text, detectTaskFileFormat(shown, text), shown);
  } catch (error) {
    if (!isAtlasError(error)) throw error;
    for (const issue of error.issues ?? []) io.stderr(`${shown}:${issue.line ?? ""}: ${issue.message}\n`);
    io.stderr(`${error.message}\n`);
    return 1;
  }
  const input = CreateTaskSetSchema.safeParse({ name: values.name, tasks });
  if (!input.success) throw new UsageError(input.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; "));
  const handle = await openMigratedDatabase(resolveDatabaseTarget(io.env, values["database-url"]));
  try {
    const created = await createTaskSet(handle.db, input.data);
    io.stdout(`Task set ${created.id} "${created.name}" stored with ${created.count} tasks.\n`);
    return 0;
  } finally {
    await handle.close();
  }
};

export async function readTextFile(file: string, shown: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new AtlasError("not_found", `no such file: ${shown}`);
    throw error;
  }
}
