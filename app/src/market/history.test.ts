import { IDL, PROGRAM_ID, decodeEvents } from "@compute-market/client";
import { getAddressEncoder, getBase64Decoder, getU64Encoder } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { SOL } from "../lib/currency";
import { randomAddress } from "./fixtures";
import { bucketFor, earningsSeries, marketSeries, timed, type TimedEvent } from "./history";
import { describeEvent } from "./timeline";

const provider = randomAddress();
const other = randomAddress();
const mint = randomAddress();
const usdc = { mint, symbol: "USDC", decimals: 6, enabled: true };
const ev = (name: string, time: number, data: Record<string, unknown> = {}): TimedEvent => ({ name, time, data: { timestamp: time, ...data }, signature: "s" });

const events = [
  ev("JobPosted", 1000, { escrow: 5 }),
  ev("JobPosted", 1010),
  ev("JobCompleted", 1070, { provider: provider, provider_payout: 900, fee: 100, refund: 0, rating: 5 }),
  ev("DisputeResolved", 1200, { provider: other, provider_payout: 450, fee: 50, refund: 500 }),
  ev("JobCompleted", 1250, { provider: provider, provider_payout: 90, fee: 10, refund: 0, auto_released: true }),
  // A dispute nobody ruled on, settled by the default split, pays for work; a refunding expiry does not.
  ev("JobExpired", 1260, { provider: provider, reason: { DisputeUnresolved: {} }, provider_payout: 40, provider_payout_held: 0, fee: 2, refund: 58, surplus: 0 }),
  ev("JobExpired", 1270, { provider: provider, reason: { NotStarted: {} }, provider_payout: 0, provider_payout_held: 0, fee: 0, refund: 500, surplus: 0 }),
];

describe("market history", () => {
  it("buckets jobs and volume over time", () => {
    expect(marketSeries(events, 60)).toEqual([
      { time: 960, posted: 2, completed: 0, volume: 0n, fees: 0n },
      { time: 1020, posted: 0, completed: 1, volume: 1000n, fees: 100n },
      { time: 1200, posted: 0, completed: 1, volume: 600n, fees: 60n },
      { time: 1260, posted: 0, completed: 0, volume: 42n, fees: 2n },
    ]);
  });

  it("keeps each currency's volume apart, counting jobs in all", () => {
    const mixed = [...events, ev("JobCompleted", 1075, { provider, payment_mint: mint, provider_payout: 3_000_000, fee: 75_000, refund: 0 })];
    expect(marketSeries(mixed, 60)[1]).toEqual({ time: 1020, posted: 0, completed: 2, volume: 1000n, fees: 100n });
    expect(marketSeries(mixed, 60, mint)[1]).toEqual({ time: 1020, posted: 0, completed: 2, volume: 3_075_000n, fees: 75_000n });
    expect(earningsSeries(mixed, provider, mint)).toEqual([{ time: 1075, earned: 3_000_000n, total: 3_000_000n }]);
    expect(describeEvent(mixed[7], usdc)).toBe("Paid, completed by the client: 3 USDC to the provider, 0.075 USDC fee set aside for the treasury, 0 USDC refunded");
    expect(describeEvent(mixed[7], SOL)).toMatch(/0.003 SOL to the provider/);
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
      { time: 1260, earned: 40n, total: 1030n },
    ]);
  });

  it("describes a job's events in words", () => {
    expect(describeEvent(events[2])).toBe("Paid, completed by the client, rated 5/5: 0.0000009 SOL to the provider, 0.0000001 SOL fee set aside for the treasury, 0 SOL refunded");
    expect(describeEvent(events[4])).toMatch(/^Paid, finalized after the review window/);
    expect(describeEvent(ev("JobCancelled", 1, { refund: 1_000_000_000 }))).toBe("Cancelled: 1 SOL refunded");
    expect(describeEvent(ev("JobCancelled", 1, { refund: 1_000_000_000, surplus: 5 }))).toBe("Cancelled: 1 SOL refunded, and 0.000000005 SOL more the vault held");
    expect(describeEvent(ev("JobExtended", 1, { added_secs: 1_800, duration_secs: 5_400, added_escrow: 12_850_000, escrow: 38_550_000, run_deadline: 0 })))
      .toBe("Extended by 30 min to 1 h 30 min: 0.01285 SOL more escrowed, 0.03855 SOL in all");
    // From the index: numbers and decimal text; a running job's new run deadline.
    expect(describeEvent(ev("JobExtended", 1, { added_secs: "60", duration_secs: 3_660, added_escrow: "20000", escrow: 1_220_000, run_deadline: 1_700_000_000 }), usdc))
      .toBe(`Extended by 1 min to 1 h 1 min: 0.02 USDC more escrowed, 1.22 USDC in all; the result is now due by ${new Date(1_700_000_000_000).toLocaleString()}`);
  });

  it("says what was held back, how an expiry settled, and fee terms", () => {
    const held = ev("JobCompleted", 1, { provider_payout: 900, provider_payout_held: 900, fee: 100, refund: 0, surplus: 0 });
    expect(describeEvent(held)).toBe("Paid, completed by the client: 0.0000009 SOL to the provider (0.0000009 SOL held on the provider's account until it withdraws), 0.0000001 SOL fee set aside for the treasury, 0 SOL refunded");
    expect(describeEvent(events[5])).toBe("Expired: nobody ruled on the dispute in time; settled by the default split: 0.00000004 SOL to the provider, 0.000000002 SOL fee set aside for the treasury, 0.000000058 SOL refunded");
    expect(describeEvent(events[6])).toBe("Expired: the provider did not start it in time; 0.0000005 SOL refunded to the client");
    expect(describeEvent(ev("JobPosted", 1, { escrow: 5, max_price_per_hour: 10, fee_bps: 250 }))).toBe("Posted: 0.000000005 SOL escrowed for at most 0.00000001 SOL per hour, fee 2.5%");
  });

  it("decodes a JobReleased from a transaction's logs and describes why the job is open again", () => {
    const job = randomAddress();
    const clientKey = randomAddress();
    const discriminator = IDL.events!.find((e) => e.name === "JobReleased")!.discriminator;
    const u64 = (v: number) => [...getU64Encoder().encode(BigInt(v))];
    const key = (a: string) => [...getAddressEncoder().encode(a as never)];
    const logs = (reason: number) => [
      `Program ${PROGRAM_ID} invoke [1]`,
      `Program data: ${getBase64Decoder().decode(Uint8Array.from([...discriminator, ...key(job), ...key(clientKey), ...key(provider), reason, ...u64(51_400_000), ...u64(25_700_000), ...u64(1_700_000_000)]))}`,
      `Program ${PROGRAM_ID} success`,
    ];
    const [declined] = decodeEvents(logs(0)).map((e) => timed(e, "s"));
    expect(declined.name).toBe("JobReleased");
    expect(declined.time).toBe(1_700_000_000);
    expect(describeEvent(declined)).toBe(`Declined by ${provider.slice(0, 4)}…${provider.slice(-4)}: open again for at most 0.0257 SOL per hour, 0.0514 SOL escrowed`);
    const [takenBack] = decodeEvents(logs(1)).map((e) => timed(e, "s"));
    expect(describeEvent(takenBack)).toMatch(/^Taken back by the client from /);
  });
});

describe("bond terms on a job's timeline", () => {
  it("says what bond a job asks for, and what a failed job's slash took from the provider for the client", () => {
    expect(describeEvent(ev("JobPosted", 1, { escrow: 5_000, max_price_per_hour: 10_000, fee_bps: 250, min_bond: 2_000_000, slash_bps: 2_500 }), usdc))
      .toBe("Posted: 0.005 USDC escrowed for at most 0.01 USDC per hour, fee 2.5%, a provider bond of 2 USDC asked for (25% of it slashed if the provider fails)");
    expect(describeEvent(ev("JobPosted", 1, { escrow: 5, max_price_per_hour: 10, fee_bps: 250, min_bond: 0, slash_bps: 2_500 }), SOL)).not.toMatch(/bond/);
    expect(describeEvent(ev("JobExpired", 2, { reason: { NotStarted: {} }, refund: 500, bond_slashed: 250_000_000 }), SOL))
      .toBe("Expired: the provider did not start it in time; 0.0000005 SOL refunded to the client; 0.25 SOL slashed from the provider's bond to the client");
    expect(describeEvent(ev("DisputeResolved", 3, { provider_payout: 0, fee: 0, refund: 500, bond_slashed: 7 }), SOL)).toMatch(/; 0.000000007 SOL slashed from the provider's bond to the client$/);
    expect(describeEvent(ev("JobExpired", 4, { reason: { NotStarted: {} }, refund: 500, bond_slashed: 0 }), SOL)).not.toMatch(/slashed/);
  });
});
