/**
 * `atlas doctor CONFIG [--json] [--ping]`: where each LLM of the config is sent (provider, base URL, model
 * on the wire, key variable and whether it is set), what the agent resolves to and whether it loads;
 * `--ping` sends one tiny request per LLM. Exit 1 when a key is missing or a check fails.
 */
import path from "node:path";
import { loadConfigFile } from "@/lib/config/load-file";
import { diagnoseConfig, type DoctorReport, type LlmCheck } from "@/lib/doctor";
import { formatIssue } from "@/lib/errors";
import { parseCommandArgs } from "../args";
import { UsageError, type Command } from "../io";

export const doctorCommand: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, { json: { type: "boolean" }, ping: { type: "boolean" } }, true);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "give a config file" : "give one config file");
  const file = positionals[0] as string;
  const configPath = path.resolve(io.cwd, file);
  const loaded = await loadConfigFile(configPath);
  if (!loaded.ok) {
    for (const issue of loaded.issues) io.stderr(`${formatIssue(issue, file)}\n`);
    return 1;
  }
  const report = await diagnoseConfig(loaded.config, { env: io.env, baseDir: path.dirname(configPath), ping: values.ping ?? false });
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.problems.length === 0 ? 0 : 1;
};

export function formatReport(report: DoctorReport): string {
  const lines: string[] = [];
  for (const llm of report.llms) lines.push(...llmLines(llm));
  const { agent } = report;
  lines.push(`agent (${agent.type})`, `  resolves to  ${agent.resolves_to}`);
  for (const [name, value] of Object.entries(agent.details)) lines.push(`  ${name.replaceAll("_", " ").padEnd(11)}  ${value ?? "-"}`);
  if (agent.loads !== null) lines.push(`  loads        ${agent.loads ? "yes" : `no: ${agent.error ?? "unknown error"}`}`);
  lines.push("");
  if (report.problems.length === 0) {
    lines.push("No problems found.");
  } else {
    lines.push(`${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}:`);
    for (const problem of report.problems) lines.push(`  - ${problem}`);
  }
  return `${lines.join("\n")}\n`;
}

function llmLines(llm: LlmCheck): string[] {
  const key = llm.key_env === null ? "none needed" : `${llm.key_env} (${llm.key_set ? "set" : "NOT SET"})`;
  const lines = [
    llm.path,
    `  provider     ${llm.provider} (by ${llm.provider_chosen_by})`,
    `  base URL     ${llm.base_url ?? "none"} (${llm.base_url_from})`,
    `  model        ${llm.model}`,
    `  key          ${key}`,
  ];
  if (llm.ping) lines.push(`  ping         ${llm.ping.ok ? `ok, ${llm.ping.latency_ms} ms` : `failed: ${llm.ping.error}`}`);
  return lines;
}
