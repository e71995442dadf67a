// The client's extension of its assigned or running job: the time to add in hours, checked against the program's
// bounds before anything is signed, and what it costs at the agreed price in the job's currency. Sent through the
// screen's `transaction`; offered until the start deadline (assigned) or the run deadline (running), then disabled.
import { LIMITS, JobStatus, extensionEscrow, type Job } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { useState } from "react";
import { formatIn } from "../lib/currency";
import { formatDuration, formatTime } from "../lib/format";
import { checkExtension } from "../lib/forms";
import { useRenderAt } from "../lib/useRenderAt";
import { extensionWindow } from "../market/actions";
import { useMarket } from "../market/MarketContext";
import type { useTransaction } from "../tx/useTransaction";
import { Field } from "./Field";

export function ExtendJob({ address, job, transaction }: { address: Address; job: Job; transaction: ReturnType<typeof useTransaction> }) {
  const { client, me, currency } = useMarket();
  const { run, busy } = transaction;
  const [hours, setHours] = useState("1");
  const [error, setError] = useState<string | undefined>(undefined);
  const allowed = extensionWindow(job, me, Math.floor(Date.now() / 1000));
  // Disabled once the deadline passes while the page is open.
  useRenderAt(allowed?.open ? allowed.until + 1 : null);
  if (!allowed) return null;

  const running = job.status === JobStatus.Running;
  const checked = checkExtension(hours, job.durationSecs);
  const money = (amount: bigint) => formatIn(currency(job.paymentMint), amount);
  const submit = () => {
    if (!allowed.open) return;
    if (!checked.ok) return setError(checked.errors.addHours);
    setError(undefined);
    const addedSecs = checked.value;
    void run("Extend job", async () => [await client.extendJob(address, addedSecs)]);
  };

  return (
    <form className="card" data-testid="extend-job" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <h3>Extend the job</h3>
      <Field label="Add time (hours)" name="addHours" value={hours} onChange={setHours} error={error}
        hint={`decimals allowed: 0.25 is 15 minutes; at most ${formatDuration(LIMITS.maxJobDurationSecs - job.durationSecs)} more`} />
      {checked.ok ? (
        <p data-testid="extension-estimate">
          +{formatDuration(checked.value)} costs <strong data-figure="extension-cost">{money(extensionEscrow(job, checked.value))}</strong> at the
          agreed {money(job.agreedPricePerHour)}/h, escrowed now: the job then runs for {formatDuration(job.durationSecs + checked.value)}
          {running && <>, its result due by {formatTime(Number(job.runDeadline) + checked.value)}</>}.
        </p>
      ) : (
        <p className="muted">Type the hours to add to see what they cost.</p>
      )}
      <div className="action">
        <button type="submit" name="extend" disabled={busy || !allowed.open}>Extend</button>
        <small data-testid="extension-window">
          {allowed.open
            ? `until ${running ? "the run deadline" : "the start deadline"}, ${formatTime(running ? allowed.until + 1 : allowed.until)}`
            : running ? "the run deadline has passed: a running job is extended only before it" : "the start deadline has passed: an assigned job is extended only until it"}
        </small>
      </div>
    </form>
  );
}
