// The buttons for what the connected wallet may do with a job now, each sent as its own transaction through
// the screen's `transaction`, whose status the screen shows (it outlives a job that closes). An action the
// program allows only from a later time (taking a job back) is shown disabled until then.
import { LIMITS, parseHash, type Job } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { useState } from "react";
import { formatTime } from "../lib/format";
import { useRenderAt } from "../lib/useRenderAt";
import { jobActions, type JobAction } from "../market/actions";
import { useMarket } from "../market/MarketContext";
import type { useTransaction } from "../tx/useTransaction";

const LABELS: Record<JobAction, string> = {
  cancel: "Cancel job",
  "take-back": "Take back",
  decline: "Decline",
  complete: "Complete and pay",
  dispute: "Dispute",
  finalize: "Finalize (pay the provider)",
  expire: "Expire",
  close: "Close (return rent)",
  start: "Start job",
  submit: "Submit result",
};

export function JobActions({ address, job, transaction }: { address: Address; job: Job; transaction: ReturnType<typeof useTransaction> }) {
  const { client, me } = useMarket();
  const { run, fail, busy } = transaction;
  const [rating, setRating] = useState("5");
  const [resultHash, setResultHash] = useState("");
  const offered = jobActions(job, me, Math.floor(Date.now() / 1000));
  const waiting = offered.map((o) => o.from).filter((from): from is number => from !== undefined);
  useRenderAt(waiting.length > 0 ? Math.min(...waiting) : null);

  const act = (action: JobAction) => {
    const label = LABELS[action];
    switch (action) {
      case "cancel":
        return run(label, async () => [await client.cancelJob(address)]);
      case "take-back":
        return run(label, async () => [await client.takeBackJob(address, job.provider)]);
      case "decline":
        return run(label, async () => [await client.declineJob(address)]);
      case "complete":
        return run(label, async () => [await client.completeAndPay(address, rating === "" ? null : Number(rating))]);
      case "dispute":
        return run(label, async () => [await client.disputeJob(address)]);
      case "finalize":
        return run(label, async () => [await client.finalizeJob(address)]);
      case "expire":
        return run(label, async () => [await client.expireJob(address)]);
      case "close":
        return run(label, async () => [await client.closeJob(address)]);
      case "start":
        return run(label, async () => [await client.startJob(address)]);
      case "submit": {
        let hash: number[];
        try {
          hash = parseHash(resultHash);
        } catch (e) {
          return fail(label, (e as Error).message);
        }
        return run(label, async () => [await client.submitResult(address, hash)]);
      }
    }
  };

  if (offered.length === 0) return null;
  return (
    <div className="actions">
      {offered.map(({ action, because, from }) => (
        <div key={action} className="action">
          {action === "complete" && (
            <label>
              rating{" "}
              <select name="rating" value={rating} onChange={(e) => setRating(e.target.value)}>
                <option value="">none</option>
                {Array.from({ length: LIMITS.maxRating - LIMITS.minRating + 1 }, (_, i) => String(LIMITS.maxRating - i)).map((r) => (
                  <option key={r} value={r}>{r}</option>
                ))}
              </select>
            </label>
          )}
          {action === "submit" && (
            <input name="resultHash" placeholder="sha256 of the result bundle (64 hex digits)" value={resultHash} onChange={(e) => setResultHash(e.target.value)} />
          )}
          <button type="button" name={action} disabled={busy || from !== undefined} onClick={() => void act(action)} title={because}>
            {LABELS[action]}
          </button>
          <small>{from !== undefined ? `from ${formatTime(from)}: ${because}` : because}</small>
        </div>
      ))}
    </div>
  );
}
