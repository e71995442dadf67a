// Market totals summed from the parties' accounts, as clients/rust/src/analytics.rs sums them (no node needed).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSigner } from "@solana/kit";
import { marketStats, type ClientProfile, type Keyed, type Provider } from "../src";

const U64_MAX = "18446744073709551615";
const newAddress = async () => (await generateKeyPairSigner()).address;
const keyed = async <T>(account: T): Promise<Keyed<T>> => ({ address: await newAddress(), account });

async function profile(fields: Partial<Record<keyof ClientProfile, string | number>>): Promise<Keyed<ClientProfile>> {
  const n = (name: keyof ClientProfile) => BigInt(String(fields[name] ?? 0));
  return keyed({
    discriminator: new Uint8Array(8), bump: 255, reserved: new Uint8Array(7),
    authority: await newAddress(), nextJobId: n("nextJobId"), jobsPosted: n("jobsPosted"), jobsCompleted: n("jobsCompleted"),
    jobsCancelled: n("jobsCancelled"), jobsExpired: n("jobsExpired"), jobsDisputed: n("jobsDisputed"), totalSpent: n("totalSpent"),
    feesPaid: n("feesPaid"), totalRefunded: n("totalRefunded"), registeredAt: n("registeredAt"),
  });
}

const provider = (retired: number, feesOwed: number) => keyed({ retired, feesOwed: BigInt(feesOwed) } as Provider);

describe("market stats", () => {
  it("sum the client profiles, count providers that have not retired, and add up fees waiting on providers", async () => {
    const a = await profile({ jobsPosted: 3, jobsCompleted: 2, jobsDisputed: 1, totalSpent: 1_000, feesPaid: 25 });
    const b = await profile({ jobsPosted: U64_MAX, jobsCancelled: 4, jobsExpired: 2, totalSpent: 10 });
    const stats = marketStats([await provider(0, 7), await provider(1, 3)], [a, b]);
    assert.deepEqual(stats, {
      providers: 1n,
      clients: 2n,
      jobsPosted: BigInt(U64_MAX),
      jobsCompleted: 2n,
      jobsCancelled: 4n,
      jobsExpired: 2n,
      jobsDisputed: 1n,
      volumeLamports: 1_010n,
      feesCollected: 25n,
      feesUncollected: 10n,
    });
  });

  it("are zero for an empty market", () => {
    const stats = marketStats([], []);
    assert.ok(Object.values(stats).every((v) => v === 0n));
  });
});
