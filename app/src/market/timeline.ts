// A job's events as lines of its timeline, in words, amounts in the job's currency.
import { SOL, formatIn, type Currency } from "../lib/currency";
import { formatBps, formatDuration, formatTime, shortAddress } from "../lib/format";
import type { TimedEvent } from "./history";

// Event fields arrive untyped, with the IDL's snake_case names; amounts and times are BNs (from the node) or
// numbers and decimal text (from the index), enums objects with one key (the variant's name) or snake_case
// names, hashes byte arrays or hex.
/** An amount as an exact integer, or null when the value is not one (an answer from elsewhere is not trusted). */
const integer = (value: unknown): bigint | null => {
  const text = String(value ?? 0);
  return /^\d{1,30}$/.test(text) ? BigInt(text) : null;
};
const inCurrency = (currency: Currency) => (value: unknown) => {
  const amount = integer(value);
  return amount === null ? "an unreadable amount" : formatIn(currency, amount);
};
const who = (value: unknown) => shortAddress(String(value));
const when = (value: unknown) => formatTime(String(value ?? 0));
const hex = (value: unknown) => (Array.isArray(value) ? value.map((b: number) => Number(b).toString(16).padStart(2, "0")).join("") : String(value));
const positive = (value: unknown) => (integer(value) ?? 0n) > 0n;

/** An enum's variant name, lower-cased without separators ("takenback"), whatever form it came in: the node's
 *  decoder gives an object ({ takenBack: {} }), the index a snake_case name ("taken_back"). */
export function variant(value: unknown): string {
  const name = typeof value === "string" ? value : value && typeof value === "object" ? Object.keys(value)[0] ?? "" : "";
  return name.toLowerCase().replace(/_/g, "");
}

/** The split of a settlement: payout (and what of it is held on the provider's account), fee, refund, surplus. */
function split(d: Record<string, unknown>, sol: (value: unknown) => string): string {
  const held = positive(d.provider_payout_held) ? ` (${sol(d.provider_payout_held)} held on the provider's account until it withdraws)` : "";
  const surplus = positive(d.surplus) ? `, and ${sol(d.surplus)} more the vault held returned` : "";
  return `${sol(d.provider_payout)} to the provider${held}, ${sol(d.fee)} fee set aside for the treasury, ${sol(d.refund)} refunded${surplus}`;
}

const EXPIRY: Record<string, string> = {
  notstarted: "the provider did not start it in time",
  noresult: "no result by the deadline and its grace",
  disputeunresolved: "nobody ruled on the dispute in time; settled by the default split",
};

/** What a failed bonded job's slash took from its provider's bond for the client, when it took anything. */
const slashed = (d: Record<string, unknown>, sol: (value: unknown) => string) =>
  positive(d.bond_slashed) ? `; ${sol(d.bond_slashed)} slashed from the provider's bond to the client` : "";

/** The event in words; its amounts are base units of `currency` (the job's). */
export function describeEvent(event: TimedEvent, currency: Currency = SOL): string {
  const d = event.data;
  const sol = inCurrency(currency);
  switch (event.name) {
    case "JobPosted":
      return `Posted: ${sol(d.escrow)} escrowed for at most ${sol(d.max_price_per_hour)} per hour${d.fee_bps !== undefined ? `, fee ${formatBps(Number(d.fee_bps))}` : ""}` +
        (positive(d.min_bond) ? `, a provider bond of ${sol(d.min_bond)} asked for (${formatBps(Number(d.slash_bps ?? 0))} of it slashed if the provider fails)` : "");
    case "JobAssigned":
      return `Assigned to ${who(d.provider)} by ${who(d.assigned_by)} at ${sol(d.agreed_price_per_hour)} per hour; ${sol(d.refund)} refunded, start by ${when(d.start_deadline)}`;
    case "JobReleased": {
      const how = variant(d.reason) === "declined" ? `Declined by ${who(d.provider)}` : `Taken back by the client from ${who(d.provider)}`;
      return `${how}: open again for at most ${sol(d.max_price_per_hour)} per hour, ${sol(d.escrow)} escrowed`;
    }
    case "JobStarted":
      return `Started; the result is due by ${when(d.run_deadline)}`;
    case "JobExtended": {
      const due = positive(d.run_deadline) ? `; the result is now due by ${when(d.run_deadline)}` : "";
      return `Extended by ${formatDuration(Number(d.added_secs))} to ${formatDuration(Number(d.duration_secs))}: ${sol(d.added_escrow)} more escrowed, ${sol(d.escrow)} in all${due}`;
    }
    case "ResultSubmitted":
      return `Result submitted (sha256 ${hex(d.result_hash).slice(0, 16)}…); review until ${when(d.review_deadline)}`;
    case "JobCompleted": {
      const how = d.auto_released ? "finalized after the review window" : `completed by the client${d.rating ? `, rated ${d.rating}/5` : ""}`;
      return `Paid, ${how}: ${split(d, sol)}`;
    }
    case "JobDisputed":
      return `Disputed by the client; ${sol(d.escrow)} held until ${when(d.dispute_deadline)}`;
    case "DisputeResolved":
      return `Dispute resolved: ${split(d, sol)}${slashed(d, sol)}`;
    case "JobExpired": {
      const reason = EXPIRY[variant(d.reason)] ?? "a deadline passed";
      return variant(d.reason) === "disputeunresolved" ? `Expired: ${reason}: ${split(d, sol)}` : `Expired: ${reason}; ${sol(d.refund)} refunded to the client${slashed(d, sol)}`;
    }
    case "JobCancelled":
      return `Cancelled: ${sol(d.refund)} refunded${positive(d.surplus) ? `, and ${sol(d.surplus)} more the vault held` : ""}`;
    case "ClientRegistered":
      return "The client's profile was created (its first job)";
    case "JobClosed":
      return `Closed: ${sol(d.rent_returned)} rent returned`;
    default:
      return event.name;
  }
}
