// Market: totals, what was paid in each currency, jobs by status, the fee and time windows new jobs take, and
// jobs and volume (in a chosen currency) over time. With an index the totals and the series are the index's
// (/stats/market over its longest range, per mint); without one they are summed from the client profiles and
// providers (the program keeps no market-wide counter; those count SOL only), each currency's from the jobs
// still on chain, and the series drawn from the program's latest transactions.
import { DEFAULT_DISPUTE_PROVIDER_BPS, JobStatus, PROGRAM_ID, marketTotals, type Job, type Keyed, type Market } from "@compute-market/client";
import { useEffect, useState, type ReactNode } from "react";
import { AmountChart, JobsChart } from "../components/Charts";
import { Figure } from "../components/Field";
import { SOL, formatIn } from "../lib/currency";
import { formatBps, formatDuration, formatSol } from "../lib/format";
import { bucketFor, eventMint, marketSeries, type MarketPoint } from "../market/history";
import { indexedFigures, type CurrencyFigures, type IndexedFigures } from "../market/indexed";
import { useMarket } from "../market/MarketContext";
import { formatAmounts, sumByMint } from "../market/money";
import { useEvents } from "../market/useEvents";

const IN_ESCROW = [JobStatus.Open, JobStatus.Assigned, JobStatus.Running, JobStatus.Submitted, JobStatus.Disputed];

function byStatus(jobs: Keyed<Job>[]): Record<string, number> {
  return Object.fromEntries(
    Object.keys(JobStatus).filter((k) => isNaN(Number(k))).map((name) => [name, jobs.filter((j) => j.account.status === JobStatus[name as keyof typeof JobStatus]).length]),
  );
}

export function MarketScreen() {
  const { market, api } = useMarket();
  if (!market) return null;
  return api ? <IndexedMarket market={market} /> : <NodeMarket market={market} />;
}

/** The market from the index: its figures over its longest range, and its per-day series. */
function IndexedMarket({ market }: { market: Market }) {
  const { api, providers, jobs, version, currency } = useMarket();
  const [figures, setFigures] = useState<{ value?: IndexedFigures; error?: string }>({});
  useEffect(() => {
    if (!api) return;
    let current = true;
    indexedFigures(api, providers).then(
      (value) => current && setFigures({ value }),
      (e: Error) => current && setFigures((f) => ({ ...f, error: `cannot read the market's figures from the index: ${e.message}` })),
    );
    return () => {
      current = false;
    };
  }, [api, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const f = figures.value;
  const escrow = sumByMint(jobs.filter((j) => IN_ESCROW.includes(j.account.status)), (j) => j.escrow);
  return (
    <MarketLayout market={market} jobs={jobs} error={figures.error ?? null} points={f?.series ?? []} noPoints={f && f.jobsPosted === 0 ? "No jobs yet." : "No activity indexed yet."}
      byCurrency={f?.byCurrency ?? []} volumeOf={(mint) => f?.seriesByMint[mint] ?? []}
      figures={f && (
        <>
          <Figure name="providers" label={`providers (${f.activeProviders} accepting jobs)`} value={String(f.providers)} />
          <Figure name="clients" label="clients" value={String(f.clients)} />
          <Figure name="jobs-posted" label="jobs posted" value={String(f.jobsPosted)} />
          <Figure name="jobs-completed" label="jobs completed" value={String(f.jobsCompleted)} />
          <Figure name="jobs-cancelled" label="cancelled" value={String(f.jobsCancelled)} />
          <Figure name="jobs-failed" label="failed (not started, no result, or ruled against)" value={String(f.jobsFailed)} />
          <Figure name="jobs-disputed" label="disputed" value={String(f.jobsDisputed)} />
          <Figure name="volume" label="volume paid in SOL" value={formatSol(f.volume)} />
          <Figure name="fees" label="fees in SOL for the treasury" value={formatSol(f.fees)} />
          <Figure name="fees-uncollected" label="of which still on providers' accounts" value={formatSol(f.feesUncollected)} />
          <Figure name="escrow" label="held in escrow now" value={formatAmounts(escrow, currency)} />
        </>
      )}
      source={<p className="muted" data-testid="source">Figures and lists from the index at {api?.baseUrl}; live status from the node.</p>}
    />
  );
}

/** The market from the node: totals summed from the accounts, the series from the program's latest transactions. */
function NodeMarket({ market }: { market: Market }) {
  const { providers, clients, jobs, currency } = useMarket();
  const { events, error } = useEvents(PROGRAM_ID);
  const totals = marketTotals(market, providers, clients, jobs);
  const stats = totals.stats;
  const bucket = bucketFor(events);
  const points = marketSeries(events, bucket);
  const escrow = sumByMint(jobs.filter((j) => IN_ESCROW.includes(j.account.status)), (j) => j.escrow);
  return (
    <MarketLayout market={market} jobs={jobs} error={error} points={points}
      byCurrency={byCurrencyOnChain(jobs)} volumeOf={(mint) => marketSeries(events.filter((e) => eventMint(e) === mint), bucket, mint)}
      byCurrencyNote="From the jobs still on chain (closed jobs are gone from the node; an index keeps them)."
      noPoints={stats.jobsPosted === 0n ? "No jobs yet." : "No events in this node's transaction history (a node running the natively loaded program writes no logs)."}
      figures={(
        <>
          <Figure name="providers" label={`providers (${totals.activeProviders} accepting jobs)`} value={stats.providers.toString()} />
          <Figure name="clients" label="clients" value={stats.clients.toString()} />
          <Figure name="jobs-posted" label="jobs posted" value={stats.jobsPosted.toString()} />
          <Figure name="jobs-completed" label="jobs completed" value={stats.jobsCompleted.toString()} />
          <Figure name="jobs-cancelled" label="cancelled" value={stats.jobsCancelled.toString()} />
          <Figure name="jobs-expired" label="expired" value={stats.jobsExpired.toString()} />
          <Figure name="jobs-disputed" label="disputed" value={stats.jobsDisputed.toString()} />
          <Figure name="volume" label="volume paid in SOL" value={formatSol(stats.volumeLamports)} />
          <Figure name="fees" label="fees in SOL for the treasury" value={formatSol(stats.feesCollected)} />
          <Figure name="fees-uncollected" label="of which still on providers' accounts" value={formatSol(stats.feesUncollected)} />
          <Figure name="escrow" label="held in escrow now" value={formatAmounts(escrow, currency)} />
        </>
      )}
    />
  );
}

const SETTLED_PAID = [JobStatus.Completed, JobStatus.Resolved, JobStatus.Expired];

/** Each currency's figures from the jobs on chain: posted (still there), completed, paid for work, fees, refunds. */
export function byCurrencyOnChain(jobs: Keyed<Job>[]): CurrencyFigures[] {
  const out = new Map<string, CurrencyFigures>([[SOL.mint, { mint: SOL.mint, jobsPosted: 0, jobsCompleted: 0, volume: 0n, fees: 0n, refunds: 0n }]]);
  for (const { account: j } of jobs) {
    const c = out.get(j.paymentMint) ?? { mint: j.paymentMint, jobsPosted: 0, jobsCompleted: 0, volume: 0n, fees: 0n, refunds: 0n };
    const paid = SETTLED_PAID.includes(j.status);
    out.set(j.paymentMint, {
      ...c, jobsPosted: c.jobsPosted + 1, jobsCompleted: c.jobsCompleted + (j.status === JobStatus.Completed ? 1 : 0),
      volume: c.volume + (paid ? j.providerPayout + j.fee : 0n), fees: c.fees + (paid ? j.fee : 0n), refunds: c.refunds + j.clientRefund,
    });
  }
  return [...out.values()];
}

function MarketLayout(props: {
  market: Market; jobs: Keyed<Job>[]; figures: ReactNode; source?: ReactNode; error: string | null; points: MarketPoint[]; noPoints: string;
  byCurrency: CurrencyFigures[]; byCurrencyNote?: string; volumeOf(mint: string): MarketPoint[];
}) {
  const { market, jobs, points } = props;
  const { currency } = useMarket();
  const [chartMint, setChartMint] = useState(SOL.mint);
  const charted = currency(chartMint);
  const volume = props.volumeOf(chartMint);
  const jobsByStatus = byStatus(jobs);
  const w = market.windows;
  return (
    <section>
      <h2>Market</h2>
      {props.source}
      <div className="figures">{props.figures}</div>
      <h3>By currency</h3>
      <table className="compact" data-testid="by-currency">
        <thead><tr><th>Currency</th><th>Jobs posted</th><th>Completed</th><th>Paid for work</th><th>Fees</th><th>Refunded</th></tr></thead>
        <tbody>
          {props.byCurrency.map((c) => {
            const cur = currency(c.mint);
            return (
              <tr key={c.mint} data-currency={c.mint} data-symbol={cur.symbol}>
                <td title={c.mint}>{cur.symbol}</td><td data-cell="posted">{c.jobsPosted}</td><td data-cell="completed">{c.jobsCompleted}</td>
                <td data-cell="volume">{formatIn(cur, c.volume)}</td><td data-cell="fees">{formatIn(cur, c.fees)}</td><td data-cell="refunds">{formatIn(cur, c.refunds)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {props.byCurrencyNote && <p className="muted">{props.byCurrencyNote}</p>}
      <h3>Jobs on chain by status</h3>
      <table className="compact">
        <tbody>
          <tr>{Object.keys(jobsByStatus).map((name) => <th key={name}>{name}</th>)}</tr>
          <tr>{Object.entries(jobsByStatus).map(([name, count]) => <td key={name} data-status={name}>{count}</td>)}</tr>
        </tbody>
      </table>
      <h3>Terms</h3>
      <p>
        For jobs posted now (each job keeps the terms it was posted under): platform fee <strong>{formatBps(market.feeBps)}</strong> of
        each payment; a provider has <strong>{formatDuration(w.startWindowSecs)}</strong> to start an assigned job and{" "}
        <strong>{formatDuration(w.graceSecs)}</strong> of grace after a run's deadline; a client reviews a result for{" "}
        <strong>{formatDuration(w.reviewWindowSecs)}</strong>; a dispute is ruled on within <strong>{formatDuration(w.disputeWindowSecs)}</strong>{" "}
        or settles by the default split ({formatBps(DEFAULT_DISPUTE_PROVIDER_BPS)} of the pay for the work to the provider).
        {market.paused !== 0 && <strong className="error"> The market is paused: no new registrations, jobs or assignments.</strong>}
      </p>
      <h3>Over time</h3>
      {props.error && <p className="error">{props.error}</p>}
      {points.length === 0 ? (
        <p className="muted">{props.noPoints}</p>
      ) : (
        <div className="charts">
          <div><h4>Jobs</h4><JobsChart points={points} /></div>
          <div>
            <h4>
              Volume in{" "}
              <select name="chart-currency" value={chartMint} onChange={(e) => setChartMint(e.target.value)}>
                {props.byCurrency.map((c) => <option key={c.mint} value={c.mint}>{currency(c.mint).symbol}</option>)}
              </select>
            </h4>
            {volume.length === 0 ? <p className="muted">Nothing paid in {charted.symbol} yet.</p> : (
              <AmountChart
                currency={charted}
                points={volume}
                series={[
                  { key: "volume", name: "paid for work", color: "#6b8afd", value: (p: MarketPoint) => p.volume },
                  { key: "fees", name: "fees", color: "#e0a030", value: (p: MarketPoint) => p.fees },
                ]}
              />
            )}
          </div>
        </div>
      )}
      <p className="muted">{jobs.filter((j) => j.account.status === JobStatus.Open).length} open jobs waiting for a provider.</p>
    </section>
  );
}
