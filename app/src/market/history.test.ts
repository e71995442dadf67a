import { Keypair } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { bucketFor, earningsSeries, marketSeries, type TimedEvent } from "./history";
import { describeEvent } from "./timeline";

const provider = Keypair.generate().publicKey;
const other = Keypair.generate().publicKey;
const ev = (name: string, time: number, data: Record<string, unknown> = {}): TimedEvent => ({ name, time, data: { timestamp: time, ...data }, signature: "s" });

const events = [
  ev("JobPosted", 1000, { escrow: 5 }),
  ev("JobPosted", 1010),
  ev("JobCompleted", 1070, { provider: provider.toBase58(), provider_payout: 900, fee: 100, refund: 0, rating: 5 }),
  ev("DisputeResolved", 1200, { provider: other.toBase58(), provider_payout: 450, fee: 50, refund: 500 }),
  ev("JobCompleted", 1250, { provider: provider.toBase58(), provider_payout: 90, fee: 10, refund: 0, auto_released: true }),
];

describe("market history", () => {
  it("buckets jobs and volume over time", () => {
    expect(marketSeries(events, 60)).toEqual([
      { time: 960, posted: 2, completed: 0, volume: 0n, fees: 0n },
      { time: 1020, posted: 0, completed: 1, volume: 1000n, fees: 100n },
      { time: 1200, posted: 0, completed: 1, volume: 600n, fees: 60n },
    ]);
  });

  it("picks a bucket that keeps charts to about two dozen points", () => {
    expect(bucketFor([])).toBe(60);
    expect(bucketFor([ev("a", 0), ev("b", 1000)])).toBe(60);
    expect(bucketFor([ev("a", 0), ev("b", 86_400)])).toBe(3600);
    expect(bucketFor([ev("a", 0), ev("b", 2 * 86_400)])).toBe(6 * 3600);
  });

  it("sums a provider's payouts only", () => {
    expect(earningsSeries(events, provider)).toEqual([
      { time: 1070, earned: 900n, total: 900n },
      { time: 1250, earned: 90n, total: 990n },
    ]);
  });

  it("describes a job's events in words", () => {
    expect(describeEvent(events[2])).toBe("Paid, completed by the client, rated 5/5: 0.0000009 SOL to the provider, 0.0000001 SOL fee, 0 SOL refunded");
    expect(describeEvent(events[4])).toMatch(/^Paid, finalized after the review window/);
    expect(describeEvent(ev("JobCancelled", 1, { refund: 1_000_000_000 }))).toBe("Cancelled: 1 SOL refunded");
  });
});
