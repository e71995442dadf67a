// Market: totals (summed from the client profiles and providers: the program keeps no market-wide counter),
// jobs by status, the fee and time windows new jobs take, and jobs and volume over time.
import { DEFAULT_DISPUTE_PROVIDER_BPS, JobStatus, PROGRAM_ID, marketTotals } from "@compute-market/client";
import { JobsChart, SolChart } from "../components/Charts";
import { Figure } from "../components/Field";
import { formatBps, formatDuration, formatSol } from "../lib/format";
import { bucketFor, marketSeries, type MarketPoint } from "../market/history";
import { useMarket } from "../market/MarketContext";
import { useEvents } from "../market/useEvents";

export function MarketScreen() {
  const { market, providers, clients, jobs } = useMarket();
  const { events, error } = useEvents(PROGRAM_ID);
  if (!market) return null;
  const totals = marketTotals(market, providers, clients, jobs);
  const stats = totals.stats;
  const points = marketSeries(events, bucketFor(events));
  const w = market.windows;
  return (
    <section>
      <h2>Market</h2>
      <div className="figures">
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
      </div>
      <h3>Jobs on chain by status</h3>
      <table className="compact">
        <tbody>
          <tr>{Object.keys(totals.jobsByStatus).map((name) => <th key={name}>{name}</th>)}</tr>
          <tr>{Object.entries(totals.jobsByStatus).map(([name, count]) => <td key={name} data-status={name}>{count}</td>)}</tr>
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
      {error && <p className="error">{error}</p>}
      {points.length === 0 ? (
        <p className="muted">
          {stats.jobsPosted === 0n ? "No jobs yet." : "No events in this node's transaction history (a node running the natively loaded program writes no logs)."}
        </p>
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
