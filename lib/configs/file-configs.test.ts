import path from "node:path";
import { describe, expect, it } from "vitest";
import { configNameForFile } from "./file-configs";

describe("the config name a file run records", () => {
  const examples = path.resolve("/srv/atlas/configs/examples");

  it("is the example's name for a file of the examples folder, else the file name made valid", () => {
    expect(configNameForFile(path.join(examples, "demo_offline.yaml"), examples)).toBe("examples/demo_offline");
    expect(configNameForFile("/home/me/My Offsite.yaml", examples)).toBe("my-offsite");
    expect(configNameForFile("/home/me/prod.v2.yml", examples)).toBe("prod.v2");
    expect(configNameForFile("/home/me/__draft.json", examples)).toBe("draft");
  });

  it("never picks a reserved or empty name", () => {
    expect(configNameForFile("/home/me/inline.yaml", examples)).toBe("inline-file");
    expect(configNameForFile("/home/me/schema.yaml", examples)).toBe("schema-file");
    expect(configNameForFile("/home/me/###.yaml", examples)).toBe("cli");
  });
});
