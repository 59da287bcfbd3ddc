import { describe, expect, it } from "vitest";
import { exportFilters } from "@/lib/export/filters";
import { emptyExportForm, exportCliCommand, exportFormFromParams, parseExportForm } from "./form-state";

describe("export form", () => {
  it("parses with the shared schema into the query the route reads back", () => {
    const parsed = parseExportForm({
      ...emptyExportForm(),
      statuses: ["failed", "cancelled"],
      since: "2025-10-01",
      minReward: "0.7",
      q: "revenue",
      sessionIds: "12, 15 12",
      trajectoryEventLimit: "0",
      format: "pairs",
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.query).toBe(
      "session_id=12&session_id=15&status=failed&status=cancelled&since=2025-10-01T00%3A00%3A00.000Z&min_reward=0.7&q=revenue&trajectory_event_limit=1000&format=pairs",
    );
    // The route parses the query back to the same filters.
    const roundTrip = exportFilters(Object.fromEntries([...new URLSearchParams(parsed.query).keys()].map((key) => {
      const all = new URLSearchParams(parsed.query).getAll(key);
      return [key, all.length > 1 ? all : all[0]];
    })));
    expect(roundTrip).toEqual(parsed.filters);
    // A link with the query opens the form with the same selection.
    expect(parseExportForm(exportFormFromParams(new URLSearchParams(parsed.query)))).toEqual(parsed);
  });

  it("names the fields in its issues", () => {
    const parsed = parseExportForm({ ...emptyExportForm(), minReward: "high", limit: "-1", sessionIds: "a" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((issue) => issue.path).sort()).toEqual(["Limit", "Minimum reward", "Session ids"]);
  });

  it("prints the equivalent CLI command, quoting what the shell would split", () => {
    const parsed = parseExportForm({ ...emptyExportForm(), statuses: ["succeeded"], q: "team's offsite", limit: "10", format: "steps" });
    expect(parsed.ok && exportCliCommand(parsed.filters)).toBe(
      "atlas export --output atlas-steps.jsonl --status succeeded --search 'team'\\''s offsite' --limit 10 --format steps",
    );
  });
});
