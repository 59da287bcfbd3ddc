import { openDatabase } from "@/lib/db/open";
import { describeTarget, resolveDatabaseTarget } from "@/lib/db/target";
import { parseCommandArgs } from "../args";
import { UsageError, type Command } from "../io";

export const dbCommand: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, { "database-url": { type: "string" } }, true);
  const [action] = positionals;
  if (action !== "migrate") throw new UsageError(action ? `unknown db action "${action}"` : "missing db action");
  const target = resolveDatabaseTarget(io.env, values["database-url"]);
  const handle = await openDatabase(target);
  try {
    const report = await handle.migrate();
    io.stdout(
      report.applied === 0
        ? `Database ${describeTarget(target)} is up to date (${report.available} migrations).\n`
        : `Applied ${report.applied} migration(s) to ${describeTarget(target)} (${report.available} in total).\n`,
    );
    return 0;
  } finally {
    await handle.close();
  }
};
