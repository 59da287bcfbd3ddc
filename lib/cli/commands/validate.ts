import path from "node:path";
import { loadConfigFile } from "@/lib/config/load-file";
import { formatIssue } from "@/lib/errors";
import { UsageError, type Command } from "../io";

export const validateCommand: Command = async (args, io) => {
  const files = args.filter((arg) => !arg.startsWith("--"));
  if (files.length === 0) throw new UsageError("give at least one config file");
  let failed = 0;
  for (const file of files) {
    const result = await loadConfigFile(path.resolve(io.cwd, file));
    if (result.ok) {
      io.stdout(`${file}: ok\n`);
      continue;
    }
    failed += 1;
    for (const issue of result.issues) io.stderr(`${formatIssue(issue, file)}\n`);
  }
  if (files.length > 1 || failed > 0) {
    io.stderr(`${files.length - failed} of ${files.length} config(s) valid\n`);
  }
  return failed === 0 ? 0 : 1;
};
