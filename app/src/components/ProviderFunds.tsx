// What the wallet's Provider account holds besides its rent, with the action that moves each: earnings its
// wallet could not receive when jobs settled (the provider withdraws them) and the fees its jobs set aside for
// the treasury (anyone sends them on).
import type { Provider } from "@compute-market/client";
import { formatSol } from "../lib/format";
import { useMarket } from "../market/MarketContext";
import type { useTransaction } from "../tx/useTransaction";
import { Figure } from "./Field";

export function ProviderFunds({ provider, transaction }: { provider: Provider; transaction: ReturnType<typeof useTransaction> }) {
  const { client } = useMarket();
  const { run, busy } = transaction;
  const earningsOwed = provider.earningsOwed;
  const feesOwed = provider.feesOwed;
  return (
    <div className="card">
      <div className="figures">
        <Figure name="earnings-owed" label="earnings held for you (your wallet could not receive them when paid)" value={formatSol(earningsOwed)} />
        <Figure name="fees-owed" label="fees set aside for the treasury" value={formatSol(feesOwed)} />
      </div>
      <p>
        {earningsOwed !== 0n && (
          <button type="button" name="withdraw-earnings" disabled={busy}
            onClick={() => void run("Withdraw earnings", async () => [await client.withdrawEarnings()])}>
            Withdraw {formatSol(earningsOwed)}
          </button>
        )}{" "}
        {feesOwed !== 0n && (
          <button type="button" name="collect-fees" disabled={busy}
            onClick={() => void run("Send fees to the treasury", async () => [await client.collectFees(provider.authority)])}>
            Send {formatSol(feesOwed)} of fees to the treasury
          </button>
        )}
      </p>
    </div>
  );
}
