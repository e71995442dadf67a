// A provider's quotes: its rates in each token the market accepts (base units of the mint per unit-hour),
// without which it cannot take jobs paid in that token. Adds a quote (the program creates the provider's token
// account for the mint), updates one, or removes it; rates are checked as the program checks them first.
import type { Keyed, MintQuote, Provider, Rates } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { useState } from "react";
import { formatIn, type Currency } from "../lib/currency";
import { formatUnits } from "../lib/format";
import { checkQuote, type Errors, type QuoteField, type QuoteValues } from "../lib/forms";
import { useMarket } from "../market/MarketContext";
import type { useTransaction } from "../tx/useTransaction";
import { Field } from "./Field";

const EMPTY: QuoteValues = { perCore: "", perGbRam: "", perGbStorage: "", perGpu: "" };
const ratesText = (currency: Currency, r: Rates) => `${[r.perCore, r.perGbRam, r.perGbStorage, r.perGpu].map((v) => formatUnits(v, currency.decimals)).join(" · ")} ${currency.symbol}`;

export function ProviderQuotes({ provider, transaction }: { provider: Provider; transaction: ReturnType<typeof useTransaction> }) {
  const { client, me, quotes, currencies, currency } = useMarket();
  const { run, busy } = transaction;
  const tokens = currencies.filter((c) => c.enabled && c.mint !== currencies[0].mint);
  const mine = quotes.filter((q) => q.account.provider === me);
  const [mint, setMint] = useState("");
  const [values, setValues] = useState<QuoteValues>(EMPTY);
  const [errors, setErrors] = useState<Errors<QuoteField>>({});
  if (!me) return null;
  const chosen = tokens.find((c) => c.mint === mint) ?? tokens[0];
  const existing: Keyed<MintQuote> | undefined = chosen && mine.find((q) => q.account.mint === chosen.mint);
  const set = (field: QuoteField) => (value: string) => setValues({ ...values, [field]: value });
  const field = (name: QuoteField, label: string) => (
    <Field label={`${label} (${chosen?.symbol ?? ""})`} name={`quote-${name}`} value={values[name]} onChange={set(name)} error={errors[name]} />
  );

  const submit = () => {
    if (!chosen) return;
    const checked = checkQuote(values, provider.capacity, chosen);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    const rates = checked.value;
    if (existing) void run("Update quote", async () => [await client.updateMintQuote(existing.address, rates)]);
    else void run("Add quote", async () => [await client.addMintQuote(chosen.mint as Address, rates)]);
  };

  return (
    <div className="card" data-testid="quotes">
      <h3>Your rates in tokens</h3>
      {mine.length === 0 ? (
        <p className="muted">No quotes: you take jobs paid in SOL only.</p>
      ) : (
        <table className="compact">
          <thead><tr><th>Currency</th><th>Per hour: core · GB RAM · GB disk · GPU</th><th>For all you offer</th><th /></tr></thead>
          <tbody>
            {mine.map((q) => {
              const c = currency(q.account.mint);
              const all = q.account.rates.perCore * BigInt(provider.capacity.cpuCores) + q.account.rates.perGbRam * BigInt(provider.capacity.ramGb) +
                q.account.rates.perGbStorage * BigInt(provider.capacity.storageGb) + q.account.rates.perGpu * BigInt(provider.capacity.gpus);
              return (
                <tr key={q.address} data-quote={q.account.mint}>
                  <td>{c.symbol}</td>
                  <td data-cell="rates">{ratesText(c, q.account.rates)}</td>
                  <td>{formatIn(c, all)}/h</td>
                  <td>
                    <button type="button" name="remove-quote" disabled={busy}
                      onClick={() => void run("Remove quote", async () => [await client.removeMintQuote(q.address)])}>Remove</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {tokens.length === 0 ? (
        <p className="muted">The market accepts no token yet.</p>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
          <div className="grid4">
            <label className="field">
              <span>Token</span>
              <select name="quote-currency" value={chosen?.mint ?? ""} onChange={(e) => setMint(e.target.value)}>
                {tokens.map((c) => <option key={c.mint} value={c.mint}>{c.symbol}</option>)}
              </select>
            </label>
            {field("perCore", "per core-hour")}
            {field("perGbRam", "per GB RAM-hour")}
            {field("perGbStorage", "per GB storage-hour")}
            {field("perGpu", "per GPU-hour")}
          </div>
          <button type="submit" name={existing ? "update-quote" : "add-quote"} disabled={busy}>{existing ? `Update ${chosen.symbol} rates` : `Quote in ${chosen.symbol}`}</button>
        </form>
      )}
    </div>
  );
}
