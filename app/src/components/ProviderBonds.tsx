// The wallet's provider bonds, one per currency: what each holds, what its jobs in flight lock, what is pending
// withdrawal and from when it may be taken, and what was slashed to clients of failed jobs; with deposits (the
// first in a currency creates the bond), withdrawal requests (a cool-down of the market's, then the withdrawal)
// and cancelling a request. Amounts are checked as the program checks them before anything is signed.
import { bondFree, type Bond, type Provider } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { useState } from "react";
import { formatIn, type Currency } from "../lib/currency";
import { formatDuration, formatTime } from "../lib/format";
import { checkDeposit, checkWithdrawalRequest } from "../lib/forms";
import { useRenderAt } from "../lib/useRenderAt";
import { bondIn } from "../market/assign";
import { useMarket } from "../market/MarketContext";
import { useBalance } from "../market/useBalance";
import type { useTransaction } from "../tx/useTransaction";
import { Field } from "./Field";

/** When a pending withdrawal may be taken, in words, at unix time `now`. */
export function withdrawable(bond: Pick<Bond, "pending" | "withdrawAt">, now: number): string {
  if (bond.pending === 0n) return "nothing requested";
  const at = Number(bond.withdrawAt);
  return at <= now ? "now" : `from ${formatTime(at)} (in ${formatDuration(at - now)})`;
}

export function ProviderBonds({ provider, transaction }: { provider: Provider; transaction: ReturnType<typeof useTransaction> }) {
  const { client, bonds, currencies, currency: currencyOf, market } = useMarket();
  const { run, busy } = transaction;
  const me = provider.authority;
  const mine = bonds.filter((b) => b.account.provider === me);
  // Deposits go only into currencies the market takes now; a bond in a mint it stopped taking can still leave.
  const offered = currencies.filter((c) => c.enabled || mine.some((b) => b.account.mint === c.mint));
  const [mint, setMint] = useState(currencies[0].mint);
  const [amount, setAmount] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const chosen: Currency = offered.find((c) => c.mint === mint) ?? currencies[0];
  const bond = bondIn(bonds, me, chosen.mint);
  const balance = useBalance(chosen);
  const now = Math.floor(Date.now() / 1000);
  const waiting = mine.map((b) => Number(b.account.withdrawAt)).filter((at) => at > now);
  useRenderAt(waiting.length > 0 ? Math.min(...waiting) : null);

  const deposit = () => {
    if (!chosen.enabled) return setError(`deposit: the market no longer takes ${chosen.symbol}`);
    const checked = checkDeposit(amount, chosen, balance.amount);
    if (!checked.ok) return setError(checked.errors.bondAmount);
    setError(undefined);
    void run(`Deposit ${formatIn(chosen, checked.value)} into your bond`, async () => [await client.depositBond(checked.value, chosen.mint as Address)])
      .then((signature) => signature && setAmount(""));
  };
  const request = () => {
    const checked = checkWithdrawalRequest(amount, chosen, bond);
    if (!checked.ok) return setError(checked.errors.bondAmount);
    setError(undefined);
    void run(`Request a bond withdrawal of ${formatIn(chosen, checked.value)}`, async () => [await client.requestBondWithdrawal(checked.value, chosen.mint as Address)])
      .then((signature) => signature && setAmount(""));
  };

  return (
    <div className="card" data-testid="bonds">
      <h3>Your bonds</h3>
      <p className="muted">
        Jobs may ask for a bond: that much free on your bond in the job's currency, locked while the job is in flight. If you fail a
        job (not started in time, no result by the deadline, a dispute lost) part of it goes to the client.
        {market && <> Withdrawals wait {formatDuration(market.bondCooldownSecs)} after you request them.</>}
      </p>
      {mine.length === 0 ? (
        <p className="muted">No bond yet: you can take only jobs that ask for none.</p>
      ) : (
        <table className="compact">
          <thead><tr><th>Currency</th><th>Held</th><th>Locked by jobs</th><th>Free</th><th>Pending withdrawal</th><th>Withdrawable</th><th>Slashed</th><th /></tr></thead>
          <tbody>
            {mine.map(({ address, account: b }) => {
              const c = currencyOf(b.mint);
              const ready = b.pending > 0n && Number(b.withdrawAt) <= now;
              return (
                <tr key={address} data-bond={b.mint}>
                  <td>{c.symbol}</td>
                  <td data-cell="held">{formatIn(c, b.held)}</td>
                  <td data-cell="locked">{formatIn(c, b.locked)}{b.jobsLocked > 0 && ` (${b.jobsLocked} job${b.jobsLocked === 1 ? "" : "s"})`}</td>
                  <td data-cell="free">{formatIn(c, bondFree(b))}</td>
                  <td data-cell="pending">{formatIn(c, b.pending)}</td>
                  <td data-cell="withdrawable">{withdrawable(b, now)}</td>
                  <td data-cell="slashed">{formatIn(c, b.slashed)}</td>
                  <td>
                    {ready && (
                      <button type="button" name="withdraw-bond" disabled={busy}
                        onClick={() => void run(`Withdraw ${formatIn(c, b.pending)} from your bond`, async () => [await client.withdrawBond(b.mint)])}>
                        Withdraw {formatIn(c, b.pending)}
                      </button>
                    )}{" "}
                    {b.pending > 0n && (
                      <button type="button" name="cancel-bond-withdrawal" disabled={busy}
                        onClick={() => void run("Cancel the bond withdrawal", async () => [await client.requestBondWithdrawal(0n, b.mint)])}>
                        Cancel request
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => { e.preventDefault(); deposit(); }}>
        <div className="grid4">
          <label className="field">
            <span>Currency</span>
            <select name="bond-currency" value={chosen.mint} onChange={(e) => setMint(e.target.value)}>
              {offered.map((c) => <option key={c.mint} value={c.mint}>{c.symbol}</option>)}
            </select>
            <small data-figure="bond-balance">{balance.error ?? (balance.amount === null ? "reading your balance…" : `you hold ${formatIn(chosen, balance.amount)}`)}</small>
          </label>
          <Field label={`Amount (${chosen.symbol})`} name="bondAmount" value={amount} onChange={setAmount} error={error}
            hint={bond ? `free ${formatIn(chosen, bondFree(bond))} of ${formatIn(chosen, bond.held)} held` : "your first deposit creates the bond (you pay its rent)"} />
        </div>
        <button type="submit" name="deposit-bond" disabled={busy}>Deposit</button>{" "}
        <button type="button" name="request-bond-withdrawal" disabled={busy || !bond} onClick={request}>Request withdrawal</button>
      </form>
    </div>
  );
}
