// Post a job: requirements (with what each GPU must be, when it asks for GPUs), duration, the currency it is paid in (SOL or a mint the market accepts), maximum
// price, the provider bond it asks for (optional, in the same currency) and spec, with a live estimate of the escrow and of the providers that fit (priced in that currency),
// and the wallet's balance in it. The first job of a wallet creates its client profile in the same transaction.
import { jobPda, slashOf } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { useState } from "react";
import { Field } from "../components/Field";
import { NeedsFields } from "../components/GpuFields";
import { formatIn, isSol } from "../lib/currency";
import { formatBps, formatDuration } from "../lib/format";
import { checkJob, parseCount, type Errors, type JobField, type JobValues } from "../lib/forms";
import { NO_NEEDS, checkNeeds, type NeedsField, type NeedsValues } from "../lib/gpuForms";
import { href } from "../lib/routes";
import { hostedSpec, inlineSpec } from "../lib/specSource";
import { estimate } from "../market/estimate";
import { useMarket } from "../market/MarketContext";
import { useBalance } from "../market/useBalance";
import { TxStatus } from "../tx/TxStatus";
import { useTransaction } from "../tx/useTransaction";

const EXAMPLE_SPEC = '{"version":1,"command":["sh","-c","nproc > out.txt"],"outputs":["out.txt"]}';

export function PostJobScreen() {
  const { client, me, providers, market, currencies, currency: currencyOf, quotes, bonds } = useMarket();
  const { tx, run, fail, busy } = useTransaction();
  const [mint, setMint] = useState<string>(currencies[0].mint);
  // Only currencies new jobs may use are offered; one the market stopped accepting falls back to SOL.
  const offered = currencies.filter((c) => c.enabled);
  const currency = offered.find((c) => c.mint === mint) ?? currencyOf(offered[0].mint);
  const balance = useBalance(currency);
  const [values, setValues] = useState<JobValues>({ cores: "2", ramGb: "4", storageGb: "", gpus: "", hours: "1", maxPrice: "0.01", minReputation: "", minBond: "" });
  const [specMode, setSpecMode] = useState<"inline" | "url">("inline");
  const [specText, setSpecText] = useState(EXAMPLE_SPEC);
  const [specUrl, setSpecUrl] = useState("");
  const [needs, setNeeds] = useState<NeedsValues>(NO_NEEDS);
  const [errors, setErrors] = useState<Errors<JobField | NeedsField>>({});
  const set = (field: keyof JobValues) => (value: string) => setValues({ ...values, [field]: value });
  const field = (name: keyof JobValues, label: string, hint?: string) => (
    <Field label={label} name={name} value={values[name]} onChange={set(name)} error={errors[name]} hint={hint} />
  );

  const checked = checkJob(values, currency);
  let gpus = 0;
  try {
    gpus = parseCount(values.gpus, "GPUs", Number.MAX_SAFE_INTEGER);
  } catch {
    // checkJob names it.
  }
  const gpu = checkNeeds(needs, gpus);
  const live = checked.ok && gpu.ok ? estimate({ ...checked.value, gpu: gpu.value }, currency.mint, providers, me, quotes, bonds) : null;
  const money = (amount: bigint) => formatIn(currency, amount);

  const submit = async () => {
    if (!checked.ok || !gpu.ok) return setErrors({ ...(checked.ok ? {} : checked.errors), ...(gpu.ok ? {} : gpu.errors) });
    let spec;
    try {
      spec = specMode === "inline" ? await inlineSpec(specText) : await hostedSpec(specUrl.trim());
    } catch (e) {
      setErrors({ spec: (e as Error).message });
      return fail("Post job", (e as Error).message);
    }
    setErrors({});
    if (!me) return fail("Post job", "connect a wallet first");
    const request = { ...checked.value, gpu: gpu.value };
    let job: Address | null = null;
    const payment = isSol(currency.mint) ? null : { mint: currency.mint as Address };
    const signature = await run("Post job", async () => {
      const profile = await client.getClientProfile(me);
      const jobId = profile?.nextJobId ?? 0n;
      job = (await jobPda(me, jobId))[0];
      const post = await client.postJob(jobId, { ...request, ...spec }, payment);
      return profile ? [post] : [await client.registerClient(), post];
    });
    if (signature && job) window.location.hash = href({ screen: "job", address: job });
  };

  return (
    <section>
      <h2>Post a job</h2>
      <form className="card" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <div className="grid4">
          {field("cores", "CPU cores")}
          {field("ramGb", "RAM (GB)")}
          {field("storageGb", "Storage (GB)")}
          {field("gpus", "GPUs")}
          {field("hours", "Duration (hours)", "decimals allowed: 0.25 is 15 minutes")}
          <label className="field">
            <span>Paid in</span>
            <select name="currency" value={currency.mint} onChange={(e) => setMint(e.target.value)}>
              {offered.map((c) => <option key={c.mint} value={c.mint}>{c.symbol}</option>)}
            </select>
            <small data-figure="balance">
              {!me ? "connect a wallet to see your balance" : balance.error ?? (balance.amount === null ? "reading your balance…" : `you hold ${money(balance.amount)}`)}
            </small>
          </label>
          {field("maxPrice", `Maximum price (${currency.symbol} per hour)`)}
          {field("minReputation", "Minimum provider reputation (%)")}
          {field("minBond", `Minimum provider bond (${currency.symbol})`, "optional: bond the provider must have free, partly yours if it fails the job")}
        </div>
        {gpus > 0 && <NeedsFields values={needs} errors={errors} onChange={setNeeds} />}
        <fieldset>
          <legend>Spec: what the provider's agent runs</legend>
          <label className="check"><input type="radio" name="specMode" checked={specMode === "inline"} onChange={() => setSpecMode("inline")} /> inline JSON</label>
          <label className="check"><input type="radio" name="specMode" checked={specMode === "url"} onChange={() => setSpecMode("url")} /> hosted at a URL</label>
          {specMode === "inline" ? (
            <textarea name="spec" rows={4} value={specText} onChange={(e) => setSpecText(e.target.value)} aria-invalid={errors.spec ? true : undefined} />
          ) : (
            <input name="specUrl" placeholder="https://…/spec.json" value={specUrl} onChange={(e) => setSpecUrl(e.target.value)} />
          )}
          {errors.spec && <small className="error" role="alert">{errors.spec}</small>}
          <small>Schema: docs/JOBS.md (version, command, env, inputs, outputs, image). The agent checks the spec against its hash before running it.</small>
        </fieldset>
        <div className="estimate" data-testid="estimate">
          {live ? (
            <>
              <p>Escrowed now: <strong data-figure="escrow">{money(live.escrow)}</strong> (the maximum price for the whole duration; what the chosen provider does not charge returns at assignment).</p>
              {balance.amount !== null && live.escrow > balance.amount && (
                <p className="error" data-testid="short">That is more than the {money(balance.amount)} you hold{isSol(currency.mint) ? " (and the transaction's fees and rent are paid in SOL too)" : ""}.</p>
              )}
              {market && (
                <p>
                  The job keeps the market's terms of now, whatever changes later: a fee of <strong>{formatBps(market.feeBps)}</strong> of the
                  pay for the work, {formatDuration(market.windows.startWindowSecs)} for the provider to start and {formatDuration(market.windows.reviewWindowSecs)} for
                  you to review its result.
                  {checked.ok && checked.value.minBond > 0n && <> If the provider fails the job, <strong data-figure="slash">{money(slashOf(checked.value.minBond, market.slashBps))}</strong> ({formatBps(market.slashBps)}) of its bond comes to you.</>}
                </p>
              )}
              <p>
                <strong data-figure="fitting">{live.fitting}</strong> provider{live.fitting === 1 ? "" : "s"} fit now
                {live.cheapest && <>; the cheapest asks <span data-figure="cheapest">{money(live.cheapest.pricePerHour)}/h</span>, {money(live.cheapest.cost)} for this job</>}.
                {!isSol(currency.mint) && " In a token, only providers that quote it can take the job, at their rates in it."}
              </p>
            </>
          ) : (
            <p className="muted">Fill in valid terms to see the estimate.</p>
          )}
        </div>
        <button type="submit" name="post-job" disabled={busy}>Post job</button>
        <TxStatus tx={tx} />
      </form>
    </section>
  );
}
