import { describe, expect, it } from "vitest";
import { displayOutput, readableFields } from "./output-text";

describe("displayOutput", () => {
  it("indents JSON output and leaves other text untouched", () => {
    expect(displayOutput('{"status":"ok","result":{"x":"<b>"}}')).toEqual({
      text: '{\n  "status": "ok",\n  "result": {\n    "x": "<b>"\n  }\n}',
      json: true,
    });
    expect(displayOutput("  plain\ntext ")).toEqual({ text: "  plain\ntext ", json: false });
    expect(displayOutput("{not json")).toEqual({ text: "{not json", json: false });
  });
});

describe("readableFields", () => {
  it("lists a JSON output's leaves by path with their strings unescaped", () => {
    expect(readableFields('{"status":"ok","result":{"deliverable":"line 1\\nline 2","artifacts":{"sources":["a.md","b.md"]},"empty":{}}}')).toEqual([
      { path: "status", text: "ok" },
      { path: "result.deliverable", text: "line 1\nline 2" },
      { path: "result.artifacts.sources[0]", text: "a.md" },
      { path: "result.artifacts.sources[1]", text: "b.md" },
      { path: "result.empty", text: "{}" },
    ]);
    expect(readableFields('"just a string"')).toBeNull();
    expect(readableFields("[1, null]")).toEqual([
      { path: "[0]", text: "1" },
      { path: "[1]", text: "null" },
    ]);
    expect(readableFields("plain text")).toBeNull();
  });
});
