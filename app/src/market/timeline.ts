// A job's events as lines of its timeline, in words.
import { formatSol, formatTime, shortAddress } from "../lib/format";
import type { TimedEvent } from "./history";

// Event fields arrive untyped; amounts and times are BNs.
const sol = (value: unknown) => formatSol(String(value ?? 0));
const who = (value: unknown) => shortAddress(String(value));
const when = (value: unknown) => formatTime(String(value ?? 0));
const hex = (value: unknown) => (Array.isArray(value) ? value.map((b: number) => b.toString(16).padStart(2, "0")).join("") : String(value));

export function describeEvent(event: TimedEvent): string {
  const d = event.data;
  switch (event.name) {
    case "JobPosted":
      return `Posted: ${sol(d.escrow)} escrowed for at most ${sol(d.max_price_per_hour)} per hour`;
    case "JobAssigned":
      return `Assigned to ${who(d.provider)} by ${who(d.assigned_by)} at ${sol(d.agreed_price_per_hour)} per hour; ${sol(d.refund)} refunded, start by ${when(d.start_deadline)}`;
    case "JobStarted":
      return `Started; the result is due by ${when(d.run_deadline)}`;
    case "ResultSubmitted":
      return `Result submitted (sha256 ${hex(d.result_hash).slice(0, 16)}…); review until ${when(d.review_deadline)}`;
    case "JobCompleted": {
      const how = d.auto_released ? "finalized after the review window" : `completed by the client${d.rating ? `, rated ${d.rating}/5` : ""}`;
      return `Paid, ${how}: ${sol(d.provider_payout)} to the provider, ${sol(d.fee)} fee, ${sol(d.refund)} refunded`;
    }
    case "JobDisputed":
      return `Disputed by the client; ${sol(d.escrow)} held until ${when(d.dispute_deadline)}`;
    case "DisputeResolved":
      return `Dispute resolved: ${sol(d.provider_payout)} to the provider, ${sol(d.fee)} fee, ${sol(d.refund)} refunded`;
    case "JobExpired":
      return `Expired: ${sol(d.refund)} refunded to the client`;
    case "JobCancelled":
      return `Cancelled: ${sol(d.refund)} refunded`;
    case "ClientRegistered":
      return "The client's profile was created (its first job)";
    case "JobClosed":
      return `Closed: ${sol(d.rent_returned)} rent returned`;
    default:
      return event.name;
  }
}
