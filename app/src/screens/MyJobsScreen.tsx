import { clientStats } from "@compute-market/client";
import { useEffect, useState } from "react";
import { Figure } from "../components/Field";
import { JobActions } from "../components/JobActions";
import { JobTable } from "../components/JobTable";
import { formatSol } from "../lib/format";
import { formatAmounts, sumByMint } from "../market/money";
import { href } from "../lib/routes";
import { useMarket } from "../market/MarketContext";
import { TxStatus } from "../tx/TxStatus";
import { useTransaction } from "../tx/useTransaction";
import type { ClientProfile } from "@compute-market/client";

/** My jobs: the wallet's jobs as a client, newest first, with their actions. */
export function MyJobsScreen() {
  const { me, jobs, client, version, currency } = useMarket();
  const [profile, setProfile] = useState<ClientProfile | null>(null);
  const transaction = useTransaction();
  useEffect(() => {
    if (me) void client.getClientProfile(me).then(setProfile, () => setProfile(null));
  }, [client, me, version]);
  if (!me) return <p className="muted">Connect a wallet to see your jobs.</p>;
  const mine = jobs.filter((j) => j.account.client === me).reverse();
  const stats = profile ? clientStats(profile, jobs) : null;
  return (
    <section>
      <h2>My jobs</h2>
      {stats && (
        <div className="figures">
          <Figure name="posted" label="jobs posted" value={stats.jobsPosted.toString()} />
          <Figure name="completed" label="completed" value={stats.jobsCompleted.toString()} />
          <Figure name="cancelled" label="cancelled" value={stats.jobsCancelled.toString()} />
          <Figure name="expired" label="expired" value={stats.jobsExpired.toString()} />
          <Figure name="disputed" label="disputed" value={stats.jobsDisputed.toString()} />
          <Figure name="spent" label="spent in SOL" value={formatSol(stats.totalSpent)} />
          <Figure name="fees-paid" label="of which fees" value={formatSol(stats.feesPaid)} />
          <Figure name="refunded" label="refunded in SOL" value={formatSol(stats.totalRefunded)} />
          <Figure name="in-escrow" label="in escrow now" value={formatAmounts(sumByMint(mine, (j) => j.escrow), currency)} />
        </div>
      )}
      <TxStatus tx={transaction.tx} />
      <JobTable jobs={mine} empty="No jobs yet." actions={(j) => <JobActions address={j.address} job={j.account} transaction={transaction} />} />
      <p><a href={href({ screen: "post" })}>Post a job</a> · <a href={href({ screen: "activity" })}>Spending by day</a></p>
    </section>
  );
}
