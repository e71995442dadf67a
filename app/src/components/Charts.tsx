// Charts over time as small SVGs (no chart library): bars or lines per series, a y axis with round ticks, the
// first, middle and last times under the x axis, a legend, and each point's exact figure as its tooltip.
// Amounts are drawn in their currency's units and labelled with its symbol.
import type { Currency } from "../lib/currency";
import { formatIn } from "../lib/currency";

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 64, right: 12, top: 22, bottom: 26 };

export interface Series<P> {
  key: string;
  name: string;
  color: string;
  /** The plotted value, or null for a gap. */
  value(point: P): number | null;
  /** The point's exact figure, for its tooltip (the plotted value by default). */
  label?(point: P): string;
}

/** About four round steps from 0 to at least `max`. */
export function ticks(max: number): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return Array.from({ length: Math.ceil(max / step - 1e-9) + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

function Chart<P>(props: {
  kind: "bar" | "line"; points: P[]; time(point: P): number; timeLabel(time: number): string; series: Series<P>[];
  yLabel(value: number): string; yMax?: number; name: string;
  /** What the y axis counts ("SOL", "%"), written once above it. */
  unit?: string;
}) {
  const { points, series, kind } = props;
  const values = points.flatMap((p) => series.map((s) => s.value(p) ?? 0));
  const axis = ticks(props.yMax ?? Math.max(0, ...values));
  const top = axis[axis.length - 1];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(points.length, 1);
  const xAt = (i: number) => PAD.left + slot * (i + 0.5);
  const yAt = (v: number) => PAD.top + plotH - (Math.min(v, top) / top) * plotH;
  const barW = Math.max(1, Math.min(24, (slot * 0.8) / series.length));
  const labelled = points.length <= 2 ? points.map((_, i) => i) : [0, Math.floor((points.length - 1) / 2), points.length - 1];
  const tip = (s: Series<P>, p: P) => `${props.timeLabel(props.time(p))}: ${s.name} ${s.label ? s.label(p) : props.yLabel(s.value(p) ?? 0)}`;
  return (
    <figure className="chart" data-chart={props.name}>
      <svg className="chart-surface" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={series.map((s) => s.name).join(", ")}>
        {props.unit && <text x={PAD.left - 6} y={12} textAnchor="end" className="unit">{props.unit}</text>}
        {axis.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={yAt(t)} y2={yAt(t)} className="grid" />
            <text x={PAD.left - 6} y={yAt(t) + 4} textAnchor="end">{props.yLabel(t)}</text>
          </g>
        ))}
        {labelled.map((i) => (
          <text key={i} x={xAt(i)} y={HEIGHT - 8} textAnchor="middle">{props.timeLabel(props.time(points[i]))}</text>
        ))}
        {kind === "bar"
          ? series.map((s, k) => points.map((p, i) => {
            const v = s.value(p) ?? 0;
            const x = xAt(i) - (barW * series.length) / 2 + k * barW;
            return <rect key={`${s.key} ${i}`} x={x} y={yAt(v)} width={barW} height={Math.max(0, yAt(0) - yAt(v))} fill={s.color}><title>{tip(s, p)}</title></rect>;
          }))
          : series.map((s) => {
            // A null value breaks the line: each run of values is its own polyline.
            const runs: { i: number; v: number }[][] = [[]];
            points.forEach((p, i) => {
              const v = s.value(p);
              if (v === null) runs.push([]);
              else runs[runs.length - 1].push({ i, v });
            });
            return (
              <g key={s.key}>
                {runs.filter((r) => r.length > 1).map((r, n) => (
                  <polyline key={n} fill="none" stroke={s.color} strokeWidth={2} points={r.map(({ i, v }) => `${xAt(i)},${yAt(v)}`).join(" ")} />
                ))}
                {runs.flat().map(({ i, v }) => <circle key={i} cx={xAt(i)} cy={yAt(v)} r={3} fill={s.color}><title>{tip(s, points[i])}</title></circle>)}
              </g>
            );
          })}
      </svg>
      <figcaption className="legend">
        {series.map((s) => <span key={s.key}><i style={{ background: s.color }} /> {s.name}</span>)}
      </figcaption>
    </figure>
  );
}

const clock = (time: number) => new Date(time * 1000).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const day = (time: number) => new Date(time * 1000).toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const count = (v: number) => String(Math.round(v * 100) / 100);

/** Base units as a number of whole units of `currency`, for plotting only (labels stay exact). */
const units = (currency: Currency, amount: bigint) => Number(amount) / 10 ** currency.decimals;
/** A tick's value in at most about 8 characters (1e-7 rather than 0.0000001). */
const short = (v: number) => {
  if (v === 0) return "0";
  if (Math.abs(v) >= 1000) return v.toLocaleString(undefined, { maximumFractionDigits: 0 });
  const text = String(Number(v.toPrecision(4)));
  return text.length <= 8 ? text : v.toExponential(1).replace(/\.0e/, "e");
};

export function JobsChart({ points }: { points: { time: number; posted: number; completed: number }[] }) {
  return (
    <Chart kind="bar" name="jobs" points={points} time={(p) => p.time} timeLabel={clock} yLabel={count} series={[
      { key: "posted", name: "jobs posted", color: "#6b8afd", value: (p) => p.posted },
      { key: "completed", name: "jobs paid", color: "#3fb68b", value: (p) => p.completed },
    ]} />
  );
}

export interface AmountSeries<P> {
  key: string;
  name: string;
  color: string;
  value(point: P): bigint;
}

const amountSeries = <P,>(currency: Currency, series: AmountSeries<P>[]): Series<P>[] =>
  series.map((s) => ({ ...s, value: (p: P) => units(currency, s.value(p)), label: (p: P) => formatIn(currency, s.value(p)) }));

/** Amounts in `currency` over time, as lines. */
export function AmountChart<P extends { time: number }>({ points, series, currency }: { points: P[]; series: AmountSeries<P>[]; currency: Currency }) {
  return <Chart kind="line" name="amounts" points={points} time={(p) => p.time} timeLabel={clock} yLabel={short} unit={currency.symbol} series={amountSeries(currency, series)} />;
}

/** Amounts in `currency` per day, as bars. */
export function DailyAmountChart<P extends { start: number }>({ points, series, currency }: { points: P[]; series: AmountSeries<P>[]; currency: Currency }) {
  return <Chart kind="bar" name="daily-amounts" points={points} time={(p) => p.start} timeLabel={day} yLabel={short} unit={currency.symbol} series={amountSeries(currency, series)} />;
}

/** Rates in basis points per day as percentages (a day without a rate leaves a gap). */
export function DailyPercentChart<P extends { start: number }>({ points, series }: { points: P[]; series: { key: string; name: string; color: string; value(point: P): number | null }[] }) {
  return (
    <Chart kind="line" name="daily-percent" points={points} time={(p) => p.start} timeLabel={day} yLabel={count} unit="%" yMax={100}
      series={series.map((s) => ({ ...s, value: (p: P) => { const v = s.value(p); return v === null ? null : v / 100; } }))} />
  );
}
