import { describe, expect, it } from "vitest";
import { displayOutput } from "./output-text";

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
