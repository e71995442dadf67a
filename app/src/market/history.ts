// The market's history, read from the program's events: the transactions of an address (the program for
// the whole market, a job for its timeline), their events in order, and the series the charts draw.
// Event fields keep the IDL's snake_case names, as the client's event parser returns them.
import { decodeEvents, type MarketEvent, type MarketRpc } from "@compute-market/client";
import type { Address, Signature } from "@solana/kit";

export interface TimedEvent {
  name: string;
  data: Record<string, unknown>;
  /** The event's own timestamp (the chain's clock when it was emitted). */
  time: number;
  signature: string;
}

const num = (value: unknown): number => Number(String(value ?? 0));
/** An amount as a bigint; 0 for anything that is not a non-negative integer (an untrusted answer's garbage). */
const big = (value: unknown): bigint => {
  const text = String(value ?? 0);
  return /^\d{1,30}$/.test(text) ? BigInt(text) : 0n;
};

export function timed(event: MarketEvent, signature: string): TimedEvent {
  const data = event.data as Record<string, unknown>;
  return { name: event.name, data, time: num(data.timestamp), signature };
}

/**
 * Events of the latest `limit` successful transactions that touched `address` (only those after the
 * transaction `until`, when given), oldest first, and the newest signature seen (to continue from).
 */
export async function fetchEvents(rpc: MarketRpc, address: Address, until?: string, limit = 500): Promise<{ events: TimedEvent[]; newest?: string }> {
  const listed = await rpc.getSignaturesForAddress(address, { limit, commitment: "confirmed", ...(until ? { until: until as Signature } : {}) }).send();
  // The node lists newest first; events are collected in chain order so that a stable sort by time keeps it.
  const signatures = listed.filter((s) => s.err === null).reverse().map((s) => s.signature);
  const events: TimedEvent[] = [];
  const batch = 50;
  for (let i = 0; i < signatures.length; i += batch) {
    const chunk = signatures.slice(i, i + batch);
    const transactions = await Promise.all(chunk.map((signature) =>
      rpc.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "json" }).send()));
    transactions.forEach((tx, index) => {
      for (const event of decodeEvents(tx?.meta?.logMessages ?? [])) events.push(timed(event, chunk[index]));
    });
  }
  return { events: events.sort((a, b) => a.time - b.time), newest: listed[0]?.signature ?? until };
}

export interface MarketPoint {
  /** Start of the bucket, unix seconds. */
  time: number;
  posted: number;
  completed: number;
  /** Base units paid for work in the bucket (provider payouts plus fees, whether or not collected yet), and the fees alone. */
  volume: bigint;
  fees: bigint;
}

/** A bucket size giving about 12–24 points over the span of `events` (at least a minute). */
export function bucketFor(events: TimedEvent[]): number {
  if (events.length < 2) return 60;
  const span = events[events.length - 1].time - events[0].time;
  const steps = [60, 300, 900, 3600, 6 * 3600, 86_400, 7 * 86_400];
  return steps.find((step) => span / step <= 24) ?? 30 * 86_400;
}

// Events that pay for work: completion, a ruling, and an expiry that settles an unruled dispute by the
// default split (a refunding expiry carries a zero payout and fee).
const PAID = ["JobCompleted", "DisputeResolved", "JobExpired"];
const pays = (event: TimedEvent) => PAID.includes(event.name) && big(event.data.provider_payout) + big(event.data.fee) > 0n;

/** The payment mint an event names (the default address, SOL, for an event without one). */
export const eventMint = (event: TimedEvent) => (typeof event.data.payment_mint === "string" ? event.data.payment_mint : "11111111111111111111111111111111");

/**
 * Jobs posted and completed (in every currency), and the volume and fees paid in `mint` (SOL by default), per
 * bucket of `bucket` seconds.
 */
export function marketSeries(events: TimedEvent[], bucket: number, mint = "11111111111111111111111111111111"): MarketPoint[] {
  const points = new Map<number, MarketPoint>();
  const at = (time: number) => {
    const start = time - (time % bucket);
    let point = points.get(start);
    if (!point) points.set(start, (point = { time: start, posted: 0, completed: 0, volume: 0n, fees: 0n }));
    return point;
  };
  for (const event of events) {
    if (event.name === "JobPosted") at(event.time).posted += 1;
    if (event.name === "JobCompleted") at(event.time).completed += 1;
    if (pays(event) && eventMint(event) === mint) {
      const point = at(event.time);
      point.volume += big(event.data.provider_payout) + big(event.data.fee);
      point.fees += big(event.data.fee);
    }
  }
  return [...points.values()].sort((a, b) => a.time - b.time);
}

/** A provider's payouts in `mint` over time (those held on its account included: they are earned), as a running total. */
export function earningsSeries(events: TimedEvent[], authority: Address, mint = "11111111111111111111111111111111"): { time: number; earned: bigint; total: bigint }[] {
  let total = 0n;
  return events
    .filter((e) => pays(e) && String(e.data.provider) === authority && eventMint(e) === mint)
    .map((e) => {
      const earned = big(e.data.provider_payout);
      total += earned;
      return { time: e.time, earned, total };
    });
}
