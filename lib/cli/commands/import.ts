import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { openMigratedDatabase } from "@/lib/db/open";
import { resolveDatabaseTarget } from "@/lib/db/target";
import { AtlasError } from "@/lib/errors";
import { describeImport, describeIncompleteLog, importLines } from "@/lib/export/import";
import { linesOfFile } from "@/lib/export/lines";
import { parseCommandArgs } from "../args";
import { UsageError, type Command } from "../io";

export const importCommand: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, { "database-url": { type: "string" } }, true);
  if (positionals.length !== 1) throw new UsageError("give exactly one JSONL file");
  const file = path.resolve(io.cwd, positionals[0]!);
  if (!existsSync(file) || !statSync(file).isFile()) throw new AtlasError("not_found", `no such file: ${positionals[0]}`);
  const handle = await openMigratedDatabase(resolveDatabaseTarget(io.env, values["database-url"]));
  try {
    const summary = await importLines(handle.db, linesOfFile(file));
    for (const entry of summary.malformed) io.stderr(`${positionals[0]}:${entry.line}: ${entry.reason}\n`);
    for (const entry of summary.incompleteLogs) io.stderr(`${positionals[0]}:${entry.line}: ${describeIncompleteLog(entry)}\n`);
    io.stdout(`Summary: ${describeImport(summary)}.\n`);
    if (summary.records === 0) {
      io.stderr(`WARNING ${positionals[0]} holds no records.\n`);
      return 1;
    }
    // Some lines could not be read: say so in the exit code, the rest was still imported.
    return summary.malformed.length > 0 ? 1 : 0;
  } finally {
    await handle.close();
  }
};
