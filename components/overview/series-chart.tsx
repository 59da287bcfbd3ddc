import { barChart, lineChart, type ChartPoint } from "@/lib/session-view/chart";

const BOX = { width: 520, height: 160, left: 44, bottom: 22, top: 10, right: 10 };

/** A hand-drawn SVG line (gaps where a day has no value) or bar chart over days. */
export function SeriesChart({
  kind,
  points,
  label,
  format,
  yMax,
  testId,
}: {
  kind: "line" | "bar";
  points: ChartPoint[];
  label: string;
  format: (value: number) => string;
  yMax?: number;
  testId: string;
}) {
  const box = { ...BOX, yMax };
  const ticks = kind === "line" ? lineChart(points, box).ticks : barChart(points, box).ticks;
  const xLabels = labelsToShow(points);
  return (
    <svg data-testid={testId} viewBox={`0 0 ${BOX.width} ${BOX.height}`} className="h-auto w-full" role="img" aria-label={label}>
      {ticks.map((tick) => (
        <g key={tick.value}>
          <line x1={BOX.left} x2={BOX.width - BOX.right} y1={tick.y} y2={tick.y} stroke="#e2e8f0" />
          <text x={BOX.left - 6} y={tick.y + 4} fontSize={10} textAnchor="end" fill="#64748b">
            {format(tick.value)}
          </text>
        </g>
      ))}
      {kind === "line" ? <Line points={points} box={box} format={format} /> : <Bars points={points} box={box} format={format} />}
      {xLabels.map(({ index, text }) => {
        const slot = (BOX.width - BOX.left - BOX.right) / Math.max(1, kind === "bar" ? points.length : points.length - 1);
        const x = kind === "bar" ? BOX.left + slot * (index + 0.5) : BOX.left + (points.length > 1 ? slot * index : (BOX.width - BOX.left - BOX.right) / 2);
        return (
          <text key={index} x={x} y={BOX.height - 6} fontSize={10} textAnchor="middle" fill="#64748b">
            {text}
          </text>
        );
      })}
    </svg>
  );
}

function Line({ points, box, format }: { points: ChartPoint[]; box: typeof BOX & { yMax?: number }; format: (value: number) => string }) {
  const chart = lineChart(points, box);
  return (
    <>
      <path d={chart.path} fill="none" stroke="#2563eb" strokeWidth={2} />
      {chart.dots.map((dot) => (
        <circle key={dot.label} cx={dot.x} cy={dot.y} r={3} fill="#2563eb">
          <title>{`${dot.label}: ${format(dot.value)}`}</title>
        </circle>
      ))}
    </>
  );
}

function Bars({ points, box, format }: { points: ChartPoint[]; box: typeof BOX & { yMax?: number }; format: (value: number) => string }) {
  const chart = barChart(points, box);
  return (
    <>
      {chart.bars.map((bar) => (
        <rect key={bar.label} x={bar.x} y={bar.y} width={bar.width} height={Math.max(bar.height, bar.value > 0 ? 1 : 0)} fill="#8b5cf6" rx={2}>
          <title>{`${bar.label}: ${format(bar.value)}`}</title>
        </rect>
      ))}
    </>
  );
}

/** At most ~6 evenly spaced day labels (MM-DD). */
function labelsToShow(points: ChartPoint[]): { index: number; text: string }[] {
  const every = Math.max(1, Math.ceil(points.length / 6));
  return points.flatMap((point, index) => (index % every === 0 ? [{ index, text: point.label.slice(5, 10) }] : []));
}
