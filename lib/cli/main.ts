import { errorMessage, isAtlasError } from "@/lib/errors";
import { readEnv } from "@/lib/server/env";
import { setProcessRole } from "@/lib/server/process-identity";
import { processIO, UsageError, type Command, type CommandIO } from "./io";

interface CommandEntry {
  summary: string;
  usage: string;
  load: () => Promise<Command>;
}

const COMMANDS: Record<string, CommandEntry> = {
  validate: {
    summary: "check config files; prints FILE:LINE:COL path: message for each problem",
    usage: "atlas validate FILE...",
    load: async () => (await import("./commands/validate")).validateCommand,
  },
  doctor: {
    summary: "show where each LLM of a config is sent, whether its keys are set and whether the agent loads",
    usage: "atlas doctor CONFIG [--json] [--ping]",
    load: async () => (await import("./commands/doctor")).doctorCommand,
  },
  run: {
    summary: "run a task with a config and record the session",
    usage: "atlas run --config FILE --task TEXT [--stream|--no-stream] [--json] [--metadata JSON] [--no-store]",
    load: async () => (await import("./commands/run")).runCommand,
  },
  export: {
    summary: "write sessions as training-ready JSONL",
    usage:
      "atlas export --output FILE|- [--database-url URL] [--session-id N]... [--status S]... [--review-status S|all]...\n" +
      "             [--limit N] [--offset N]\n" +
      "             [--trajectory-event-limit N] [--batch-size N] [--since DATE] [--until DATE] [--min-reward X]\n" +
      "             [--config-name NAME] [--search TEXT] [--experiment ID [--arm ID]] [--format sessions|steps|pairs] [--judgement-version N] [--quiet]",
    load: async () => (await import("./commands/export")).exportCommand,
  },
  review: {
    summary: "list sessions by review status; approve, quarantine or reset them (with a note)",
    usage:
      "atlas review list [--status pending|approved|quarantined]... [--limit N] [--offset N] [--database-url URL]\n" +
      "       atlas review approve|quarantine|reset SESSION... [--note TEXT] [--reviewer NAME] [--database-url URL]",
    load: async () => (await import("./commands/review")).reviewCommand,
  },
  import: {
    summary: "load sessions from a JSONL export (ours or upstream's)",
    usage: "atlas import FILE [--database-url URL]",
    load: async () => (await import("./commands/import")).importCommand,
  },
  tasks: {
    summary: "store a JSONL or CSV task file as a named, immutable task set",
    usage: "atlas tasks import FILE --name NAME [--database-url URL]",
    load: async () => (await import("./commands/tasks")).tasksCommand,
  },
  experiment: {
    summary: "run configs over a task set (one arm each) and print the paired comparison",
    usage:
      "atlas experiment run --tasks NAME|FILE --config FILE [--config FILE...] [--repeats N] [--max-cost USD]\n" +
      "             [--scorer TYPE|JSON] [--name NAME] [--json] [--database-url URL]",
    load: async () => (await import("./commands/experiment")).experimentCommand,
  },
  db: {
    summary: "database maintenance: `atlas db migrate` applies pending migrations",
    usage: "atlas db migrate [--database-url URL]",
    load: async () => (await import("./commands/db")).dbCommand,
  },
  serve: {
    summary: "build the dashboard if needed and serve it (HOST/PORT, default 127.0.0.1:3000)",
    usage: "atlas serve",
    load: async () => (await import("./commands/serve")).serveCommand,
  },
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    "atlas: run and judge LLM agents",
    "",
    "Usage: atlas <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Database: DATABASE_URL (postgres://… or a Neon URL); unset means the embedded database in ATLAS_DATA_DIR",
    "(default .atlas/pgdata). Run `atlas <command> --help` for a command's options.",
    "",
  ].join("\n");
}

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(helpText());
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`atlas: unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(`Usage: ${entry.usage}\n\n${entry.summary}\n`);
    return 0;
  }
  // Named in the embedded database's lock, so whoever finds it held knows by what.
  setProcessRole({ kind: "cli", command: `atlas ${name}` });
  try {
    const command = await entry.load();
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`atlas ${name}: ${error.message}\nUsage: ${entry.usage}\n`);
      return 2;
    }
    if (isAtlasError(error)) {
      io.stderr(`atlas ${name}: ${error.message}\n`);
      return 1;
    }
    io.stderr(`atlas ${name}: ${errorMessage(error)}\n`);
    if (readEnv("ATLAS_DEBUG", io.env)) io.stderr(`${(error as Error).stack ?? ""}\n`);
    return 1;
  }
}
