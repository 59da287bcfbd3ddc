import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../main";
import { captureIO } from "../testing";
import { needsBuild } from "./serve";

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), "atlas-serve-"));
  folders.push(root);
  mkdirSync(path.join(root, "app"), { recursive: true });
  writeFileSync(path.join(root, "app", "page.tsx"), "export default function Page() { return null; }\n");
  writeFileSync(path.join(root, "package.json"), "{}\n");
  return root;
}

function setMtime(file: string, secondsAgo: number) {
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(file, when, when);
}

describe("needsBuild", () => {
  it("builds when there is no build yet", () => {
    expect(needsBuild(project())).toBe(true);
  });

  it("skips the build when it is newer than every source, and builds again after a source changes", () => {
    const root = project();
    setMtime(path.join(root, "app", "page.tsx"), 60);
    setMtime(path.join(root, "app"), 60);
    setMtime(path.join(root, "package.json"), 60);
    mkdirSync(path.join(root, ".next"));
    writeFileSync(path.join(root, ".next", "BUILD_ID"), "x");
    // Back-date the build too: file timestamps are coarse, and a source written in the same tick would tie with it.
    setMtime(path.join(root, ".next", "BUILD_ID"), 30);
    expect(needsBuild(root)).toBe(false);
    writeFileSync(path.join(root, "app", "page.tsx"), "export default function Page() { return 1; }\n");
    expect(needsBuild(root)).toBe(true);
  });
});

describe("atlas serve", () => {
  it("refuses to listen beyond loopback without ATLAS_TOKEN", async () => {
    const capture = captureIO({ env: { HOST: "0.0.0.0" }, cwd: project() });
    expect(await main(["serve"], capture.io)).toBe(1);
    expect(capture.stderr()).toContain("refusing to serve on 0.0.0.0 without ATLAS_TOKEN");
  });

  it("stops before building when an environment variable is wrong, naming it", async () => {
    const capture = captureIO({ env: { PORT: "http", ATLAS_MAX_CONCURRENT_RUNS: "0" }, cwd: project() });
    expect(await main(["serve"], capture.io)).toBe(1);
    expect(capture.stderr()).toContain('PORT must be a port number from 1 to 65535, got "http"');
    expect(capture.stderr()).toContain('ATLAS_MAX_CONCURRENT_RUNS must be a positive integer, got "0"');
    expect(capture.stderr()).not.toContain("Building the dashboard");
  });
});
