// The client's own choice of provider for its open job: the providers whose policy lets clients assign them and
// that fit the job now, cheapest first. Each button assigns at the price it shows, which bounds the assignment.
import type { Job } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { formatIn } from "../lib/currency";
import { formatBps, shortAddress } from "../lib/format";
import { clientCandidates } from "../market/assign";
import { useMarket } from "../market/MarketContext";
import type { useTransaction } from "../tx/useTransaction";

export function ClientAssign({ address, job, transaction }: { address: Address; job: Job; transaction: ReturnType<typeof useTransaction> }) {
  const { client, me, providers, quotes, bonds, currency } = useMarket();
  const { run, busy } = transaction;
  if (!me || job.client !== me) return null;
  const candidates = clientCandidates(job, providers, quotes, bonds);
  const money = (amount: bigint) => formatIn(currency(job.paymentMint), amount);
  return (
    <div className="card" data-testid="client-assign">
      <h3>Choose a provider yourself</h3>
      {candidates.length === 0 ? (
        <p className="muted">No provider that lets clients assign it fits this job now; the matcher or a provider accepting it may still take it.</p>
      ) : (
        <table className="compact">
          <thead><tr><th>Provider</th><th>Reputation</th><th>Price per hour</th><th>For the whole job</th><th /></tr></thead>
          <tbody>
            {candidates.map(({ provider, pricePerHour, cost }) => (
              <tr key={provider.address} data-provider={provider.account.authority}>
                <td className="mono" title={provider.account.authority}>{shortAddress(provider.account.authority)}</td>
                <td>{formatBps(provider.account.reputation)}</td>
                <td>{money(pricePerHour)}</td>
                <td>{money(cost)}</td>
                <td>
                  <button type="button" name="assign" disabled={busy}
                    onClick={() => void run("Assign job", async () => [await client.assignJob(address, job.client, provider.account.authority, pricePerHour)])}>
                    Assign at {money(pricePerHour)}/h
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
