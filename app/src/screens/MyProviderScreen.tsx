// My provider: register, or see the wallet's provider: capacity in use, earnings over time, what its account
// holds for it and for the treasury, its bonds (deposits and withdrawals), its quotes in the market's tokens, its
// jobs with their actions, open jobs it could accept (priced in each job's currency, bonded ones within its free bond), and its offer to update, pause or retire (a retired provider keeps
// its record and may register again).
import { CPU_ARCHES, PROGRAM_ID, JobStatus, describeGpus, providerStats, type Provider } from "@compute-market/client";
import { AmountChart } from "../components/Charts";
import { Figure } from "../components/Field";
import { JobActions } from "../components/JobActions";
import { JobTable } from "../components/JobTable";
import { ProviderForm } from "../components/ProviderForm";
import { ProviderBonds } from "../components/ProviderBonds";
import { ProviderFunds } from "../components/ProviderFunds";
import { ProviderQuotes } from "../components/ProviderQuotes";
import { describeAssignment } from "../lib/assignment";
import { SOL, formatIn } from "../lib/currency";
import { formatBps } from "../lib/format";
import { canTake, priceFor } from "../market/assign";
import { earningsSeries } from "../market/history";
import { href } from "../lib/routes";
import { useMarket } from "../market/MarketContext";
import { useEvents } from "../market/useEvents";
import { formatAmounts, sumByMint } from "../market/money";
import { TxStatus } from "../tx/TxStatus";
import { useTransaction } from "../tx/useTransaction";

// The form starts from the account as it was; a changed account (an update, a reopening) starts it again.
const formKey = (p: Provider) => `${p.lastActiveAt.toString()} ${p.retired}`;

export function MyProviderScreen() {
  const { me, providers, jobs, client, api, quotes, bonds, currency } = useMarket();
  // With an index, the provider's own events; without one, the program's latest transactions.
  const { events } = useEvents(api ? me : PROGRAM_ID, "provider");
  const transaction = useTransaction();
  const { tx, run, busy } = transaction;
  if (!me) return <p className="muted">Connect a wallet to register or manage your provider.</p>;
  const mine = providers.find((p) => p.account.authority === me)?.account ?? null;
  if (!mine) return <section><h2>My provider</h2><ProviderForm existing={null} transaction={transaction} /><TxStatus tx={tx} /></section>;
  if (mine.retired !== 0) {
    return (
      <section>
        <h2>My provider <small className="muted" data-testid="provider-state">retired</small></h2>
        <p>You left the market. Your record stays: reputation {formatBps(mine.reputation)}, {mine.jobsCompleted.toString()} jobs completed. Register again to return.</p>
        <ProviderFunds provider={mine} transaction={transaction} />
        <ProviderBonds provider={mine} transaction={transaction} />
        <TxStatus tx={tx} />
        <ProviderForm existing={mine} transaction={transaction} key={formKey(mine)} />
      </section>
    );
  }

  const stats = providerStats(mine, jobs);
  const own = jobs.filter((j) => j.account.status !== JobStatus.Open && j.account.provider === me);
  const acceptable = jobs.filter((j) => canTake(j.account, mine, quotes, bonds));
  const pending = own.filter((j) => [JobStatus.Assigned, JobStatus.Running, JobStatus.Submitted].includes(j.account.status));
  const paidInTokens = sumByMint(own, (j) => j.providerPayout).filter((a) => a.mint !== SOL.mint);
  const earnings = earningsSeries(events, me);
  const use = stats.utilisationBps;
  return (
    <section>
      <h2>My provider <small className={mine.active ? "ok" : "muted"} data-testid="provider-state">{mine.active ? "accepting jobs" : "paused"}</small></h2>
      <div className="figures">
        <Figure name="earned" label="earned in SOL, in all" value={formatIn(SOL, stats.totalEarned)} />
        {paidInTokens.length > 0 && <Figure name="earned-tokens" label="earned in tokens, jobs still on chain" value={formatAmounts(paidInTokens, currency)} />}
        <Figure name="pending" label="in escrow for your running jobs" value={formatAmounts(sumByMint(pending, (j) => j.escrow), currency)} />
        <Figure name="reputation" label="reputation" value={formatBps(stats.reputation)} />
        <Figure name="completion" label="completion rate" value={formatBps(stats.completionRateBps)} />
        <Figure name="counterparties" label="clients that paid you" value={stats.counterparties.toString()} />
        <Figure name="in-use" label="in use: cores · RAM · disk · GPUs" value={[use.cpuCores, use.ramGb, use.storageGb, use.gpus].map(formatBps).join(" · ")} />
      </div>
      <ProviderFunds provider={mine} transaction={transaction} />
      <ProviderBonds provider={mine} transaction={transaction} />
      <ProviderQuotes provider={mine} transaction={transaction} />
      <p>
        Your GPUs: <strong data-testid="gpus">{describeGpus(mine.capacity.gpus, mine)}</strong>; CPU architecture:{" "}
        <strong>{CPU_ARCHES.find((a) => a.id === mine.cpuArch)?.name ?? "unknown"}</strong>.
      </p>
      <p>Who may assign you jobs: <strong data-testid="assignment">{describeAssignment(mine.assignment)}</strong>.</p>
      <p>
        <button type="button" name={mine.active ? "pause" : "resume"} disabled={busy}
          onClick={() => void run(mine.active ? "Pause provider" : "Resume provider", async () => [await client.setProviderActive(!mine.active)])}>
          {mine.active ? "Pause (take no new jobs)" : "Resume (accept jobs)"}
        </button>{" "}
        <button type="button" name="retire" disabled={busy || mine.activeJobs > 0}
          title={mine.activeJobs > 0 ? "finish or decline your jobs in flight first" : "leave the market; your record stays"}
          onClick={() => void run("Retire provider", async () => [await client.closeProvider()])}>
          Retire
        </button>
        {mine.activeJobs > 0 && <small> You can retire once no job is in flight.</small>}
      </p>
      <TxStatus tx={tx} />
      <h3>Earnings over time</h3>
      <p><a href={href({ screen: "activity" })}>Earnings by day, utilisation, completion rate and uptime</a></p>
      {earnings.length === 0 ? <p className="muted">Nothing paid yet.</p> : (
        <AmountChart currency={SOL} points={earnings} series={[{ key: "total", name: "earned in SOL (running total)", color: "#3fb68b", value: (p) => p.total }]} />
      )}
      <h3>Your jobs</h3>
      <JobTable jobs={own} empty="No jobs assigned to you yet." actions={(j) => <JobActions address={j.address} job={j.account} transaction={transaction} />} />
      <h3>Open jobs you could take</h3>
      <JobTable
        jobs={acceptable}
        empty="No open job fits your free capacity, rates and free bond right now."
        actions={(j) => {
          // The price shown is the bound the assignment carries: if the rates change before it lands, it is refused.
          const price = priceFor(j.account, mine, quotes) as bigint;
          return (
            <button type="button" name="accept" disabled={busy}
              onClick={() => void run("Accept job", async () => [await client.assignJob(j.address, j.account.client, me, price)])}>
              Accept at {formatIn(currency(j.account.paymentMint), price)}/h
            </button>
          );
        }}
      />
      <ProviderForm existing={mine} transaction={transaction} key={formKey(mine)} />
    </section>
  );
}
