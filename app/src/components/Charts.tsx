// Charts over time (recharts); lamport amounts are drawn in SOL.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const sol = (lamports: bigint) => Number(lamports) / 1e9;
const clock = (time: number) => new Date(time * 1000).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

export function JobsChart({ points }: { points: { time: number; posted: number; completed: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={points}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="time" tickFormatter={clock} />
        <YAxis allowDecimals={false} />
        <Tooltip labelFormatter={(t) => clock(Number(t))} />
        <Legend />
        <Bar dataKey="posted" name="jobs posted" fill="#6b8afd" isAnimationActive={false} />
        <Bar dataKey="completed" name="jobs paid" fill="#3fb68b" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function SolChart({ points, series }: { points: { time: number }[]; series: { key: string; name: string; color: string; value(point: never): bigint }[] }) {
  const data = points.map((p) => Object.fromEntries([["time", p.time], ...series.map((s) => [s.key, sol(s.value(p as never))])]));
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="time" tickFormatter={clock} />
        <YAxis unit=" SOL" width={90} />
        <Tooltip labelFormatter={(t) => clock(Number(t))} />
        <Legend />
        {series.map((s) => (
          <Line key={s.key} dataKey={s.key} name={s.name} stroke={s.color} dot isAnimationActive={false} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

const day = (time: number) => new Date(time * 1000).toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

/** Lamport amounts per day as bars, in SOL. */
export function DailySolChart({ points, series }: { points: { start: number }[]; series: { key: string; name: string; color: string; value(point: never): bigint }[] }) {
  const data = points.map((p) => Object.fromEntries([["time", p.start], ...series.map((s) => [s.key, sol(s.value(p as never))])]));
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="time" tickFormatter={day} />
        <YAxis unit=" SOL" width={90} />
        <Tooltip labelFormatter={(t) => day(Number(t))} />
        <Legend />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Rates in basis points per day as percentages (a day without a rate leaves a gap). */
export function DailyPercentChart({ points, series }: { points: { start: number }[]; series: { key: string; name: string; color: string; value(point: never): number | null }[] }) {
  const data = points.map((p) => Object.fromEntries([["time", p.start], ...series.map((s) => {
    const v = s.value(p as never);
    return [s.key, v === null ? null : v / 100];
  })]));
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="time" tickFormatter={day} />
        <YAxis unit="%" domain={[0, 100]} width={60} />
        <Tooltip labelFormatter={(t) => day(Number(t))} />
        <Legend />
        {series.map((s) => (
          <Line key={s.key} dataKey={s.key} name={s.name} stroke={s.color} dot connectNulls={false} isAnimationActive={false} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
