/**
 * Geometry for the overview's small hand-drawn SVG charts (no chart library): a line with gaps for
 * missing values, bars, and a few rounded y ticks.
 */

export interface ChartPoint {
  label: string;
  value: number | null;
}

export interface ChartBox {
  width: number;
  height: number;
  /** Space kept free on the left for tick labels and at the bottom for x labels. */
  left?: number;
  bottom?: number;
  top?: number;
  right?: number;
  /** Fixed top of the y scale (e.g. 1 for rewards); otherwise a nice value above the maximum. */
  yMax?: number;
}

export interface Plot {
  x: number;
  y: number;
  label: string;
  value: number;
}

export interface Tick {
  y: number;
  value: number;
}

interface Frame {
  left: number;
  top: number;
  innerWidth: number;
  innerHeight: number;
  yMax: number;
}

function frame(points: readonly ChartPoint[], box: ChartBox): Frame {
  const left = box.left ?? 36;
  const top = box.top ?? 8;
  const right = box.right ?? 8;
  const bottom = box.bottom ?? 20;
  const max = Math.max(0, ...points.map((point) => point.value ?? 0));
  return {
    left,
    top,
    innerWidth: Math.max(1, box.width - left - right),
    innerHeight: Math.max(1, box.height - top - bottom),
    yMax: box.yMax ?? niceCeiling(max),
  };
}

function yOf(value: number, f: Frame): number {
  return f.top + f.innerHeight - (f.yMax === 0 ? 0 : (value / f.yMax) * f.innerHeight);
}

export function lineChart(points: readonly ChartPoint[], box: ChartBox): { path: string; dots: Plot[]; ticks: Tick[] } {
  const f = frame(points, box);
  const step = points.length > 1 ? f.innerWidth / (points.length - 1) : 0;
  const dots: Plot[] = [];
  let path = "";
  let penDown = false;
  points.forEach((point, index) => {
    if (point.value === null) {
      penDown = false;
      return;
    }
    const x = round(f.left + (points.length > 1 ? index * step : f.innerWidth / 2));
    const y = round(yOf(point.value, f));
    path += `${penDown ? " L" : `${path ? " " : ""}M`} ${x} ${y}`;
    penDown = true;
    dots.push({ x, y, label: point.label, value: point.value });
  });
  return { path, dots, ticks: ticks(f) };
}

export function barChart(points: readonly ChartPoint[], box: ChartBox): { bars: (Plot & { width: number; height: number })[]; ticks: Tick[] } {
  const f = frame(points, box);
  const slot = points.length > 0 ? f.innerWidth / points.length : 0;
  const width = Math.max(1, round(slot * 0.7));
  const bars = points.flatMap((point, index) => {
    if (point.value === null) return [];
    const y = round(yOf(point.value, f));
    return [{ x: round(f.left + index * slot + (slot - width) / 2), y, width, height: round(f.top + f.innerHeight - y), label: point.label, value: point.value }];
  });
  return { bars, ticks: ticks(f) };
}

function ticks(f: Frame): Tick[] {
  return [0, 0.5, 1].map((share) => ({ value: f.yMax * share, y: round(yOf(f.yMax * share, f)) }));
}

/** 1, 2 or 5 times a power of ten, at or above `value` (1 for zero). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= value) return factor * power;
  return 10 * power;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
