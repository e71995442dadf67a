// My activity: the connected wallet's last 30 days, by day. As a provider: earnings, completion rate,
// utilisation and uptime (from the index's /stats/providers); as a client: spending, fees and refunds (from
// /stats/clients). Without an index the node's latest transactions stand in (utilisation and uptime unknown).
import { clientActivity, providerActivity, type Activity, type ActivityPoint } from "@compute-market/client";
import { useEffect, useState } from "react";
import { DailyAmountChart, DailyPercentChart } from "../components/Charts";
import { Figure } from "../components/Field";
import { SOL, formatIn, type Currency } from "../lib/currency";
import { formatBps, formatSol } from "../lib/format";
import { useMarket } from "../market/MarketContext";

export const DAYS = 30;

const day = (start: number) => new Date(start * 1000).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
const rate = (v: number | null) => formatBps(v);

interface Loaded {
  provider: Activity | null;
  client: Activity | null;
}

export function ActivityScreen() {
  const { me, client, cluster, version } = useMarket();
  const [state, setState] = useState<{ loaded?: Loaded; error?: string }>({});
  const who = me ?? "";
  useEffect(() => {
    if (!me) return;
    let current = true;
    const options = { apiUrl: cluster.apiUrl, days: DAYS };
    Promise.all([providerActivity(client.rpc, me, options), clientActivity(client.rpc, me, options)]).then(
      ([provider, asClient]) => current && setState({ loaded: { provider, client: asClient } }),
      (e: Error) => current && setState((s) => ({ ...s, error: `cannot read your activity: ${e.message}` })),
    );
    return () => {
      current = false;
    };
  }, [client, who, cluster.apiUrl, version]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!me) return <p className="muted">Connect a wallet to see your earnings and spending.</p>;
  const { loaded, error } = state;
  const source = loaded?.provider?.source ?? loaded?.client?.source;
  return (
    <section>
      <h2>My activity <small className="muted">the last {DAYS} days, by day (UTC)</small></h2>
      {error && <p className="error">{error}</p>}
      {!loaded && !error && <p className="muted">Loading…</p>}
      {source && <p className="muted" data-testid="activity-source" data-source={source}>{source === "index" ? `From the index at ${cluster.apiUrl}.` : "From the node's latest transactions."}</p>}
      {loaded && !loaded.provider && !loaded.client && <p className="muted" data-testid="no-activity">This wallet has neither a provider nor a client record yet.</p>}
      {loaded?.provider && <ProviderActivity activity={loaded.provider} />}
      {loaded?.client && <ClientActivity activity={loaded.client} />}
    </section>
  );
}

/** Days with anything to show, newest first (at most the range's). */
const active = (series: ActivityPoint[], has: (p: ActivityPoint) => boolean) => series.filter(has).slice(-DAYS * 4).reverse();

export function ProviderActivity({ activity }: { activity: Activity }) {
  const { currency } = useMarket();
  const t = activity.totals;
  const days = active(activity.series, (p) => p.lamports > 0n || p.jobsCompleted > 0 || p.jobsFailed > 0 || p.up === true);
  const upDays = activity.series.filter((p) => p.up).length;
  return (
    <div data-testid="provider-activity">
      <h3>As a provider</h3>
      <div className="figures">
        <Figure name="earned-30d" label={`earned in SOL in the last ${DAYS} days`} value={formatSol(t.lamports)} />
        <Figure name="completed-30d" label="jobs completed" value={String(t.jobsCompleted)} />
        <Figure name="failed-30d" label="jobs failed" value={String(t.jobsFailed)} />
        <Figure name="completion-30d" label="completion rate" value={rate(t.completionRateBps)} />
        <Figure name="utilisation-30d" label="utilisation (core time used of cores offered)" value={activity.source === "index" ? rate(t.utilisationBps) : "unknown without an index"} />
        <Figure name="uptime-30d" label="uptime (hours with a heartbeat)" value={activity.source === "index" ? rate(t.uptimeBps) : "unknown without an index"} />
      </div>
      <OtherCurrencies what="earned" amounts={t.otherMints} currency={currency} />
      <h4>Earnings in SOL by day</h4>
      <DailyAmountChart currency={SOL} points={activity.series} series={[{ key: "earned", name: "earned", color: "#3fb68b", value: (p: ActivityPoint) => p.lamports }]} />
      <h4>Utilisation and completion rate by day</h4>
      <DailyPercentChart points={activity.series} series={[
        { key: "utilisation", name: "utilisation", color: "#6b8afd", value: (p: ActivityPoint) => p.utilisationBps },
        { key: "completion", name: "completion rate", color: "#e0a030", value: (p: ActivityPoint) => p.completionRateBps },
      ]} />
      {activity.source === "index" && (
        <>
          <h4>Uptime: {upDays} of {activity.series.length} days with a heartbeat</h4>
          <div className="uptime" aria-label="days up">
            {activity.series.map((p) => <span key={p.start} data-up={p.up === true} title={`${day(p.start)}: ${p.up ? "up" : "no heartbeat"}`} />)}
          </div>
        </>
      )}
      <table className="compact" data-testid="provider-days">
        <thead><tr><th>Day</th><th>Earned</th><th>Completed</th><th>Failed</th><th>Completion</th><th>Utilisation</th><th>Up</th></tr></thead>
        <tbody>
          {days.map((p) => (
            <tr key={p.start} data-day={p.start}>
              <td>{day(p.start)}</td><td data-cell="earned">{formatSol(p.lamports)}</td><td>{p.jobsCompleted}</td><td>{p.jobsFailed}</td>
              <td>{rate(p.completionRateBps)}</td><td>{rate(p.utilisationBps)}</td><td>{p.up === null ? "–" : p.up ? "yes" : "no"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {days.length === 0 && <p className="muted">Nothing in these {DAYS} days.</p>}
    </div>
  );
}

export function ClientActivity({ activity }: { activity: Activity }) {
  const { currency } = useMarket();
  const t = activity.totals;
  const days = active(activity.series, (p) => p.lamports > 0n || p.refunded > 0n || p.jobsPosted > 0 || p.jobsCompleted > 0);
  return (
    <div data-testid="client-activity">
      <h3>As a client</h3>
      <div className="figures">
        <Figure name="spent-30d" label={`spent in SOL in the last ${DAYS} days (fees included)`} value={formatSol(t.lamports)} />
        <Figure name="fees-30d" label="of which fees" value={formatSol(t.fees)} />
        <Figure name="refunded-30d" label="refunded" value={formatSol(t.refunded)} />
        <Figure name="posted-30d" label="jobs posted" value={String(t.jobsPosted)} />
        <Figure name="client-completed-30d" label="jobs completed" value={String(t.jobsCompleted)} />
      </div>
      <OtherCurrencies what="spent" amounts={t.otherMints} currency={currency} />
      <h4>Spending in SOL by day</h4>
      <DailyAmountChart currency={SOL} points={activity.series} series={[
        { key: "spent", name: "spent", color: "#6b8afd", value: (p: ActivityPoint) => p.lamports },
        { key: "refunded", name: "refunded", color: "#e0a030", value: (p: ActivityPoint) => p.refunded },
      ]} />
      <table className="compact" data-testid="client-days">
        <thead><tr><th>Day</th><th>Spent</th><th>Fees</th><th>Refunded</th><th>Posted</th><th>Completed</th></tr></thead>
        <tbody>
          {days.map((p) => (
            <tr key={p.start} data-day={p.start}>
              <td>{day(p.start)}</td><td data-cell="spent">{formatSol(p.lamports)}</td><td>{formatSol(p.fees)}</td><td>{formatSol(p.refunded)}</td>
              <td>{p.jobsPosted}</td><td>{p.jobsCompleted}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {days.length === 0 && <p className="muted">Nothing in these {DAYS} days.</p>}
    </div>
  );
}

/** The period's totals in the currencies other than SOL (the index keeps them per mint), each with its decimals. */
function OtherCurrencies({ what, amounts, currency }: { what: string; amounts: { mint: string; amount: bigint }[]; currency(mint: string): Currency }) {
  if (amounts.length === 0) return null;
  return (
    <div className="figures" data-testid={`${what}-other-currencies`}>
      {amounts.slice(0, 20).map((m) => {
        const c = currency(m.mint);
        return <Figure key={m.mint} name={`${what}-30d-${m.mint}`} label={`${what} in ${c.symbol}`} value={formatIn(c, m.amount)} />;
      })}
    </div>
  );
}
