import { describeNeeds, type Job, type Keyed } from "@compute-market/client";
import type { ReactNode } from "react";
import { formatIn } from "../lib/currency";
import { formatDuration, formatTime, shortAddress } from "../lib/format";
import { href } from "../lib/routes";
import { statusName } from "../market/actions";
import { useMarket } from "../market/MarketContext";

/** A job's requirements, its GPUs with what each must be: "2 cores · 1 GPU (A100 family, at least 80 GB)". */
export const needs = ({ requirements: r, gpu }: Pick<Job, "requirements" | "gpu">) =>
  [r.cpuCores && `${r.cpuCores} cores`, r.ramGb && `${r.ramGb} GB RAM`, r.storageGb && `${r.storageGb} GB disk`, r.gpus && `${r.gpus} GPU (${describeNeeds(gpu)})`]
    .filter(Boolean).join(" · ");

/** Jobs with their terms (the provider bond they ask for among them) and state; `actions` adds a last column. */
export function JobTable({ jobs, empty, actions }: { jobs: Keyed<Job>[]; empty: string; actions?: (job: Keyed<Job>) => ReactNode }) {
  const { currency } = useMarket();
  if (jobs.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="jobs">
      <thead>
        <tr><th>Job</th><th>Status</th><th>Needs</th><th>For</th><th>Price per hour</th><th>Escrow</th><th>Provider bond</th><th>Posted</th>{actions && <th />}</tr>
      </thead>
      <tbody>
        {jobs.map((j) => {
          const agreed = j.account.agreedPricePerHour !== 0n;
          const money = (amount: bigint) => formatIn(currency(j.account.paymentMint), amount);
          return (
            <tr key={j.address} data-job={j.address} data-status={statusName(j.account.status)}>
              <td><a href={href({ screen: "job", address: j.address })}>#{j.account.jobId.toString()} {shortAddress(j.address)}</a></td>
              <td className="status">{statusName(j.account.status)}</td>
              <td data-cell="needs">{needs(j.account)}</td>
              <td>{formatDuration(j.account.durationSecs)}</td>
              <td>{money(agreed ? j.account.agreedPricePerHour : j.account.maxPricePerHour)}{agreed ? "" : " max"}</td>
              <td data-cell="escrow">{money(j.account.escrow)}</td>
              <td data-cell="min-bond">{j.account.minBond > 0n ? money(j.account.minBond) : "none"}</td>
              <td>{formatTime(j.account.postedAt)}</td>
              {actions && <td>{actions(j)}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
