// Market: totals, jobs by status, the fee and time windows new jobs take, and jobs and volume over time.
// With an index the totals and the series are the index's (/stats/market over its longest range); without
// one they are summed from the client profiles and providers (the program keeps no market-wide counter) and
// the series drawn from the program's latest transactions.
import { DEFAULT_DISPUTE_PROVIDER_BPS, JobStatus, PROGRAM_ID, marketTotals, type Job, type Keyed, type Market } from "@compute-market/client";
import { useEffect, useState, type ReactNode } from "react";
import { JobsChart, SolChart } from "../components/Charts";
import { Figure } from "../components/Field";
import { formatBps, formatDuration, formatSol } from "../lib/format";
import { bucketFor, marketSeries, type MarketPoint } from "../market/history";
import { indexedFigures, type IndexedFigures } from "../market/indexed";
import { useMarket } from "../market/MarketContext";
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
  const { api, providers, jobs, version } = useMarket();
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
  const escrow = jobs.filter((j) => IN_ESCROW.includes(j.account.status)).reduce((sum, j) => sum + BigInt(j.account.escrow.toString()), 0n);
  return (
    <MarketLayout market={market} jobs={jobs} error={figures.error ?? null} points={f?.series ?? []} noPoints={f && f.jobsPosted === 0 ? "No jobs yet." : "No activity indexed yet."}
      figures={f && (
        <>
          <Figure name="providers" label={`providers (${f.activeProviders} accepting jobs)`} value={String(f.providers)} />
          <Figure name="clients" label="clients" value={String(f.clients)} />
          <Figure name="jobs-posted" label="jobs posted" value={String(f.jobsPosted)} />
          <Figure name="jobs-completed" label="jobs completed" value={String(f.jobsCompleted)} />
          <Figure name="jobs-cancelled" label="cancelled" value={String(f.jobsCancelled)} />
          <Figure name="jobs-failed" label="failed (not started, no result, or ruled against)" value={String(f.jobsFailed)} />
          <Figure name="jobs-disputed" label="disputed" value={String(f.jobsDisputed)} />
          <Figure name="volume" label="volume paid" value={formatSol(f.volume)} />
          <Figure name="fees" label="fees for the treasury" value={formatSol(f.fees)} />
          <Figure name="fees-uncollected" label="of which still on providers' accounts" value={formatSol(f.feesUncollected)} />
          <Figure name="escrow" label="held in escrow now" value={formatSol(escrow)} />
        </>
      )}
      extra={f && f.otherMints.length > 0 && (
        <p className="muted">Paid in other currencies (base units): {f.otherMints.slice(0, 20).map((m) => `${m.volume} of ${m.mint}`).join(", ")}.</p>
      )}
      source={<p className="muted" data-testid="source">Figures and lists from the index at {api?.baseUrl}; live status from the node.</p>}
    />
  );
}

/** The market from the node: totals summed from the accounts, the series from the program's latest transactions. */
function NodeMarket({ market }: { market: Market }) {
  const { providers, clients, jobs } = useMarket();
  const { events, error } = useEvents(PROGRAM_ID);
  const totals = marketTotals(market, providers, clients, jobs);
  const stats = totals.stats;
  const points = marketSeries(events, bucketFor(events));
  return (
    <MarketLayout market={market} jobs={jobs} error={error} points={points}
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
          <Figure name="volume" label="volume paid" value={formatSol(stats.volumeLamports)} />
          <Figure name="fees" label="fees for the treasury" value={formatSol(stats.feesCollected)} />
          <Figure name="fees-uncollected" label="of which still on providers' accounts" value={formatSol(stats.feesUncollected)} />
          <Figure name="escrow" label="held in escrow now" value={formatSol(totals.escrowHeld)} />
        </>
      )}
    />
  );
}

function MarketLayout(props: {
  market: Market; jobs: Keyed<Job>[]; figures: ReactNode; extra?: ReactNode; source?: ReactNode; error: string | null; points: MarketPoint[]; noPoints: string;
}) {
  const { market, jobs, points } = props;
  const jobsByStatus = byStatus(jobs);
  const w = market.windows;
  return (
    <section>
      <h2>Market</h2>
      {props.source}
      <div className="figures">{props.figures}</div>
      {props.extra}
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
            <h4>Volume</h4>
            <SolChart
              points={points}
              series={[
                { key: "volume", name: "paid for work", color: "#6b8afd", value: (p: MarketPoint) => p.volume },
                { key: "fees", name: "fees", color: "#e0a030", value: (p: MarketPoint) => p.fees },
              ]}
            />
          </div>
        </div>
      )}
      <p className="muted">{jobs.filter((j) => j.account.status === JobStatus.Open).length} open jobs waiting for a provider.</p>
    </section>
  );
}
