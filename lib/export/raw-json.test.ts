import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/lib/db/raw";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { compactJsonText, RawJson } from "./raw-json";

const TRICKY = [
  { a: 1, b: [1, 2, { c: "x, y: z" }], d: null, e: true },
  { quote: 'say "hi", then: go', backslash: "C:\\dir\\", both: '\\"', unicode: "é ✓ 😀", control: "\u0001\t\n" },
  { nested: { deeper: { list: [[], {}, [{}]], empty: "" } }, number: -12.5e-3, big: 12345678901234 },
  ["a , b", " leading", "trailing ", 0, -0.5],
  "just a string, with: punctuation",
  42,
];

describe("compactJsonText", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("pglite");
  });
  afterAll(async () => {
    await database?.close();
  });

  it("turns PostgreSQL's jsonb text into JSON.stringify's text for values written by JSON.stringify", async () => {
    for (const value of TRICKY) {
      const [row] = await queryRows<{ text: string }>(database.db, sql`select ${JSON.stringify(value)}::jsonb::text as text`);
      // PostgreSQL prints `{"a": 1, "b": 2}`: there is whitespace to take out.
      if (typeof value === "object") expect(row!.text).toMatch(/[:,] /);
      expect(compactJsonText(row!.text)).toBe(JSON.stringify(JSON.parse(row!.text)));
    }
  });

  it("keeps numbers as written and only drops whitespace outside strings", () => {
    expect(compactJsonText('{"t": 1760000000.0, "s": " a , b : c "}')).toBe('{"t":1760000000.0,"s":" a , b : c "}');
    expect(compactJsonText('[ "\\\\", "x\\"y" ,\n\t 1 ]')).toBe('["\\\\","x\\"y",1]');
  });

  it("gives the parsed value to JSON.stringify", () => {
    expect(JSON.stringify({ event: new RawJson('{"a": [1, 2]}') })).toBe('{"event":{"a":[1,2]}}');
    expect(new RawJson('{"a": [1, 2]}').json).toBe('{"a":[1,2]}');
  });
});
