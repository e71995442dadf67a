// One job: its terms (its own fee, windows and bond terms) and state followed live (account subscription), its deadlines,
// its events as a timeline, the actions valid now (the client's extension of its job among them), the client's
// own choice of provider and the matcher's explanation while it is open, and its result, verified against the chain.
import { JobStatus, describeNeeds, fetchExplanation, fetchResultBundle, slashOf, toHex, uriText, type Job, type ResultBundle } from "@compute-market/client";
import { isAddress, type Address } from "@solana/kit";
import { Fragment, useEffect, useMemo, useState } from "react";
import { ClientAssign } from "../components/ClientAssign";
import { ExtendJob } from "../components/ExtendJob";
import { JobActions } from "../components/JobActions";
import { formatIn } from "../lib/currency";
import { formatBps, formatDuration, formatTime } from "../lib/format";
import { statusName } from "../market/actions";
import { useMarket } from "../market/MarketContext";
import { useEvents } from "../market/useEvents";
import { schedule } from "../market/schedule";
import { describeEvent } from "../market/timeline";
import { TxStatus } from "../tx/TxStatus";
import { useTransaction } from "../tx/useTransaction";

const parseAddress = (text: string): Address | null => (isAddress(text) ? text : null);

const ZERO = "0".repeat(64);
const SETTLED = [JobStatus.Completed, JobStatus.Resolved, JobStatus.Expired];

export function JobDetailScreen({ address: text }: { address: string }) {
  const { client, cluster, providers, version, currency: currencyOf } = useMarket();
  const address = useMemo(() => parseAddress(text), [text]);
  const [job, setJob] = useState<Job | null | undefined>(undefined);
  const { events, error: historyError, source } = useEvents(address, "job");
  const [why, setWhy] = useState<string | null>(null);
  const [bundle, setBundle] = useState<{ bundle?: ResultBundle; error?: string } | null>(null);
  const transaction = useTransaction();

  useEffect(() => {
    if (!address) return;
    let current = true;
    const load = () => client.getJob(address).then((j) => current && setJob(j), () => current && setJob(null));
    load();
    // The job's own account, followed live; its events arrive through useEvents as the market reloads.
    const stop = new AbortController();
    client.rpcSubscriptions?.accountNotifications(address, { commitment: "confirmed", encoding: "base64" })
      .subscribe({ abortSignal: stop.signal })
      .then(async (changes) => {
        for await (const _ of changes) void load();
      })
      // Without the subscription the market's reloads (its own subscription and polling) still refresh the job.
      .catch(() => undefined);
    return () => {
      current = false;
      stop.abort();
    };
  }, [client, address]);
  // Reloads of the market (after a transaction of this page, or a change seen) read the job again too.
  useEffect(() => {
    if (!address) return;
    let current = true;
    client.getJob(address).then((j) => current && setJob(j), () => current && setJob(null));
    return () => {
      current = false;
    };
  }, [client, address, version]);

  useEffect(() => {
    if (!address || job?.status !== JobStatus.Open || !cluster.matcherUrl) return setWhy(null);
    fetchExplanation(address, cluster.matcherUrl).then(
      (e) => setWhy(e ? e.reason : "the matcher has not looked at this job yet"),
      (e: Error) => setWhy(`the matcher at ${cluster.matcherUrl} cannot be reached (${e.message})`),
    );
  }, [address, job?.status, cluster.matcherUrl, version]);

  if (!address) return <p className="error">"{text}" is not a job address.</p>;
  if (job === undefined) return <p className="muted">Loading…</p>;
  if (job === null) {
    return (
      <section>
        <TxStatus tx={transaction.tx} />
        <p className={transaction.tx.state === "confirmed" ? "muted" : "error"}>No job at {address} (never posted, or closed: cancelling and closing a job close its account).</p>
      </section>
    );
  }

  const resultHash = toHex(Uint8Array.from(job.resultHash));
  const currency = currencyOf(job.paymentMint);
  const money = (amount: bigint) => formatIn(currency, amount);
  const provider = providers.find((p) => p.account.authority === job.provider)?.account;
  const endpoint = provider ? uriText(provider.metadataUri) : null;
  const r = job.requirements;

  const download = () => {
    if (!endpoint) return setBundle({ error: "the provider's account is gone, so its result address is unknown" });
    fetchResultBundle(endpoint, address, job.resultHash).then((b) => setBundle({ bundle: b }), (e: Error) => setBundle({ error: e.message }));
  };

  return (
    <section>
      <h2>Job #{job.jobId.toString()} <span className="currency" data-currency={currency.mint}>in {currency.symbol}</span> <span className="status" data-status={statusName(job.status)}>{statusName(job.status)}</span></h2>
      <p className="mono">{address}</p>
      <dl className="terms">
        <dt>Client</dt><dd className="mono">{job.client}</dd>
        <dt>Provider</dt><dd className="mono">{job.status === JobStatus.Open ? "not assigned yet" : job.provider}</dd>
        <dt>Needs</dt><dd>{r.cpuCores} cores, {r.ramGb} GB RAM, {r.storageGb} GB storage, {r.gpus} GPUs for {formatDuration(job.durationSecs)}</dd>
        {r.gpus > 0 && <><dt>Each GPU</dt><dd data-figure="gpu-needs">{describeNeeds(job.gpu)}</dd></>}
        <dt>Price</dt><dd>at most {money(job.maxPricePerHour)}/h{job.agreedPricePerHour !== 0n && <>, agreed {money(job.agreedPricePerHour)}/h</>}</dd>
        <dt>Escrow</dt><dd data-figure="escrow">{money(job.escrow)}</dd>
        {job.minBond > 0n && (
          <><dt>Provider bond</dt><dd data-figure="min-bond">{money(job.minBond)} free on the provider's bond, locked while the job is in flight; {money(slashOf(job.minBond, job.slashBps))} ({formatBps(job.slashBps)}) of it goes to the client if the provider fails the job</dd></>
        )}
        {SETTLED.includes(job.status) && (
          <><dt>Settled</dt><dd data-figure="settled">{money(job.providerPayout)} to the provider, {money(job.fee)} fee for the treasury, {money(job.clientRefund)} refunded{job.rating ? `, rated ${job.rating}/5` : ""}</dd></>
        )}
        <dt>Fee</dt><dd data-figure="fee-bps">{formatBps(job.feeBps)} of the pay for the work (the market's fee when it was posted)</dd>
        <dt>Posted</dt><dd>{formatTime(job.postedAt)}</dd>
        {schedule(job).map((step) => (
          <Fragment key={step.label}>
            <dt>{step.at !== undefined ? "Deadline" : "Then"}</dt>
            <dd data-step={step.label}>{step.label} {step.at !== undefined ? formatTime(step.at) : formatDuration(step.within ?? 0)}</dd>
          </Fragment>
        ))}
        <dt>Spec</dt><dd className="mono wrap">{uriText(job.specUri)} (sha256 {toHex(Uint8Array.from(job.specHash))})</dd>
        <dt>Result hash</dt><dd className="mono" data-figure="result-hash">{resultHash === ZERO ? "none yet" : resultHash}</dd>
      </dl>
      {why && <p className="why" data-testid="why">Not matched yet: {why}</p>}
      <JobActions address={address} job={job} transaction={transaction} />
      <ExtendJob address={address} job={job} transaction={transaction} />
      {job.status === JobStatus.Open && <ClientAssign address={address} job={job} transaction={transaction} />}
      <TxStatus tx={transaction.tx} />
      {resultHash !== ZERO && (
        <div className="result">
          <button type="button" name="download-result" onClick={download}>Download and verify the result</button>
          {bundle?.error && <p className="error">{bundle.error}</p>}
          {bundle?.bundle && (
            <div data-testid="bundle">
              <p className="ok">Verified: the bundle's sha256 is the job's result hash. Exit code {String(bundle.bundle.exit_code)}{bundle.bundle.timed_out ? " (timed out)" : ""}, ran {bundle.bundle.runtime_ms} ms.</p>
              {bundle.bundle.files.map((f) => (
                <details key={f.path}><summary>{f.path}</summary><pre>{atob(f.base64).slice(0, 4000)}</pre></details>
              ))}
              {bundle.bundle.stdout && <pre>{bundle.bundle.stdout}</pre>}
            </div>
          )}
        </div>
      )}
      <h3>Timeline</h3>
      {historyError && <p className="error">{historyError}</p>}
      {events.length === 0 ? (
        <p className="muted">
          {source === "index"
            ? "The index has no events for this job yet (it follows the node within seconds; a node running the natively loaded program writes no logs)."
            : "No events found for this job (a node running the natively loaded program writes no logs)."}
        </p>
      ) : (
        <ol className="timeline" data-source={source}>
          {events.map((e, index) => (
            <li key={`${e.signature} ${index}`} data-event={e.name}><time>{formatTime(e.time)}</time> {describeEvent(e, currency)}</li>
          ))}
        </ol>
      )}
    </section>
  );
}
