// My provider: register, or see the wallet's provider: capacity in use, earnings over time, its jobs with
// their actions, open jobs it could accept, and its offer to update or pause.
import { JobStatus, PROGRAM_ID, hourlyPrice, providerStats, toBigInt, type Keyed, type Job } from "@compute-market/client";
import { PublicKey } from "@solana/web3.js";
import { SolChart } from "../components/Charts";
import { Figure } from "../components/Field";
import { JobActions } from "../components/JobActions";
import { JobTable } from "../components/JobTable";
import { ProviderForm } from "../components/ProviderForm";
import { formatBps, formatSol } from "../lib/format";
import { earningsSeries } from "../market/history";
import { useMarket } from "../market/MarketContext";
import { useEvents } from "../market/useEvents";
import { fits } from "../market/estimate";
import { TxStatus } from "../tx/TxStatus";
import { useTransaction } from "../tx/useTransaction";

export function MyProviderScreen() {
  const { me, providers, jobs, client } = useMarket();
  const { events } = useEvents(PROGRAM_ID);
  const transaction = useTransaction();
  const { tx, run, busy } = transaction;
  if (!me) return <p className="muted">Connect a wallet to register or manage your provider.</p>;
  const mine = providers.find((p) => p.account.authority.equals(me))?.account ?? null;
  if (!mine) return <section><h2>My provider</h2><ProviderForm existing={null} transaction={transaction} /><TxStatus tx={tx} /></section>;

  const stats = providerStats(mine, jobs);
  const own = jobs.filter((j) => j.account.status !== JobStatus.Open && j.account.provider.equals(me));
  const acceptable = jobs.filter(
    (j: Keyed<Job>) => j.account.status === JobStatus.Open &&
      (j.account.targetProvider.equals(me) || j.account.targetProvider.equals(PublicKey.default)) &&
      fits({ requirements: j.account.requirements, durationSecs: j.account.durationSecs, maxPricePerHour: toBigInt(j.account.maxPricePerHour), minReputation: j.account.minReputation }, mine, j.account.client),
  );
  const earnings = earningsSeries(events, me);
  const use = stats.utilisationBps;
  return (
    <section>
      <h2>My provider <small className={mine.active ? "ok" : "muted"}>{mine.active ? "accepting jobs" : "paused"}</small></h2>
      <div className="figures">
        <Figure name="earned" label="earned in all" value={formatSol(stats.totalEarned)} />
        <Figure name="pending" label="in escrow for your running jobs" value={formatSol(stats.pendingEscrow)} />
        <Figure name="reputation" label="reputation" value={formatBps(stats.reputation)} />
        <Figure name="completion" label="completion rate" value={formatBps(stats.completionRateBps)} />
        <Figure name="in-use" label="in use: cores · RAM · disk · GPUs" value={[use.cpuCores, use.ramGb, use.storageGb, use.gpus].map(formatBps).join(" · ")} />
      </div>
      <p>
        <button type="button" name={mine.active ? "pause" : "resume"} disabled={busy}
          onClick={() => void run(mine.active ? "Pause provider" : "Resume provider", async () => [await client.setProviderActive(!mine.active)])}>
          {mine.active ? "Pause (take no new jobs)" : "Resume (accept jobs)"}
        </button>
      </p>
      <TxStatus tx={tx} />
      <h3>Earnings over time</h3>
      {earnings.length === 0 ? <p className="muted">Nothing paid yet.</p> : (
        <SolChart points={earnings} series={[{ key: "total", name: "earned (running total)", color: "#3fb68b", value: (p: { total: bigint }) => p.total }]} />
      )}
      <h3>Your jobs</h3>
      <JobTable jobs={own} empty="No jobs assigned to you yet." actions={(j) => <JobActions address={j.address} job={j.account} transaction={transaction} />} />
      <h3>Open jobs you could take</h3>
      <JobTable
        jobs={acceptable}
        empty="No open job fits your free capacity and rates right now."
        actions={(j) => (
          <button type="button" name="accept" disabled={busy}
            onClick={() => void run("Accept job", async () => [await client.assignJob(j.address, j.account.client, me)])}>
            Accept at {formatSol(hourlyPrice(mine.rates, j.account.requirements))}/h
          </button>
        )}
      />
      <ProviderForm existing={mine} transaction={transaction} key={mine.lastActiveAt.toString()} />
    </section>
  );
}
