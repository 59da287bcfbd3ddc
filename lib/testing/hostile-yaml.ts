/** Documents that cost a naive YAML parser time or memory: shared by the parser, CLI and server tests. */

/** Nine levels of nine aliases each: 9^9 "lol"s once expanded. */
export function billionLaughs(): string {
  const lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let level = 1; level <= 9; level += 1) {
    lines.push(`lol${level}: &lol${level} [${Array.from({ length: 9 }, () => `*lol${level - 1}`).join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

export function tenMegabytes(): string {
  return `agent:\n  system_prompt: "${"x".repeat(10 * 1024 * 1024)}"\n`;
}

/** Within the size bound, but nested far past the depth bound (the parser alone runs out of memory on it). */
export function deeplyNested(depth = 200_000): string {
  return `agent: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
}

export function deepBlockNesting(depth = 100): string {
  return Array.from({ length: depth }, (_, level) => `${"  ".repeat(level)}k${level}:`).join("\n") + " leaf\n";
}
