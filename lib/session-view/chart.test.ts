import { describe, expect, it } from "vitest";
import { barChart, lineChart, niceCeiling } from "./chart";

const box = { width: 140, height: 60, left: 20, right: 0, top: 0, bottom: 20 };

describe("lineChart", () => {
  it("plots values left to right and breaks the line at missing values", () => {
    const chart = lineChart(
      [
        { label: "a", value: 0 },
        { label: "b", value: 1 },
        { label: "c", value: null },
        { label: "d", value: 0.5 },
        { label: "e", value: 0.5 },
      ],
      { ...box, yMax: 1 },
    );
    expect(chart.dots.map((dot) => [dot.x, dot.y])).toEqual([
      [20, 40],
      [50, 0],
      [110, 20],
      [140, 20],
    ]);
    expect(chart.path).toBe("M 20 40 L 50 0 M 110 20 L 140 20");
    expect(chart.ticks.map((tick) => [tick.value, tick.y])).toEqual([
      [0, 40],
      [0.5, 20],
      [1, 0],
    ]);
  });

  it("centres a single point", () => {
    expect(lineChart([{ label: "a", value: 2 }], box).dots[0]?.x).toBe(80);
  });
});

describe("barChart", () => {
  it("scales bars to a nice maximum", () => {
    const chart = barChart(
      [
        { label: "a", value: 0.3 },
        { label: "b", value: 0 },
      ],
      box,
    );
    expect(chart.ticks.at(-1)?.value).toBe(0.5);
    expect(chart.bars.map((bar) => bar.height)).toEqual([24, 0]);
    expect(chart.bars[0]?.x).toBeLessThan(chart.bars[1]?.x ?? 0);
  });
});

describe("niceCeiling", () => {
  it("rounds up to 1, 2 or 5 times a power of ten", () => {
    expect([0, 0.03, 0.3, 3.2, 7, 10, 12].map(niceCeiling)).toEqual([1, 0.05, 0.5, 5, 10, 10, 20]);
  });
});
