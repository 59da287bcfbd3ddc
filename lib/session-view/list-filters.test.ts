import { describe, expect, it } from "vitest";
import { EMPTY_FILTERS, filterProblems, filtersFromParams, filtersToParams, hasFilters, sessionsApiQuery } from "./list-filters";

describe("session list filters", () => {
  it("round-trips through the URL query, with repeated or comma-separated statuses", () => {
    const params = new URLSearchParams("status=running&status=failed,bogus&config=demo&q=%20refund%20&minReward=0.5");
    const filters = filtersFromParams(params);
    expect(filters).toEqual({ ...EMPTY_FILTERS, status: ["running", "failed"], config: "demo", q: "refund", minReward: "0.5" });
    expect(filtersToParams(filters).toString()).toBe("status=running&status=failed&config=demo&minReward=0.5&q=refund");
    expect(filtersFromParams(filtersToParams(filters))).toEqual(filters);
  });

  it("reports out-of-range rewards and reversed ranges, and leaves them out of the API query", () => {
    const filters = { ...EMPTY_FILTERS, minReward: "0.9", maxReward: "0.2", from: "2026-02-01", to: "2026-01-01" };
    expect(filterProblems(filters).map((problem) => problem.field)).toEqual(["maxReward", "to"]);
    expect(filterProblems({ ...EMPTY_FILTERS, minReward: "2" })).toEqual([{ field: "minReward", message: "a reward between 0 and 1" }]);
    expect(sessionsApiQuery({ ...EMPTY_FILTERS, minReward: "abc", q: "x" }, null, 50)).toBe("q=x&limit=50");
  });

  it("adds the cursor and the page size", () => {
    expect(sessionsApiQuery({ ...EMPTY_FILTERS, status: ["queued"] }, "abc==", 25)).toBe("status=queued&cursor=abc%3D%3D&limit=25");
  });

  it("knows when no filter is set", () => {
    expect(hasFilters(EMPTY_FILTERS)).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, to: "2026-01-01" })).toBe(true);
  });

  it("keeps the cost sort in the URL and sends it to the API", () => {
    const filters = filtersFromParams(new URLSearchParams("sort=cost&status=failed"));
    expect(filters).toEqual({ ...EMPTY_FILTERS, status: ["failed"], sort: "cost" });
    expect(filtersToParams(filters).toString()).toBe("status=failed&sort=cost");
    expect(sessionsApiQuery(filters, "c", 10)).toBe("status=failed&sort=cost&cursor=c&limit=10");
    expect(filtersFromParams(new URLSearchParams("sort=price")).sort).toBe("");
  });
});
