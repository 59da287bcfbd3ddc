import { describe, expect, it } from "vitest";
import { formatTokens } from "./format";

describe("formatTokens", () => {
  it("uses k below a million and M above, never thousands of k", () => {
    expect(formatTokens(0)).toBe("0");
    expect(formatTokens(9_999)).toBe("9,999");
    expect(formatTokens(27_512)).toBe("27.5k");
    expect(formatTokens(999_900)).toBe("999.9k");
    expect(formatTokens(999_960)).toBe("1.00M");
    expect(formatTokens(2_753_800)).toBe("2.75M");
    expect(formatTokens(1_234_000_000)).toBe("1.23B");
  });
});
