// Market totals summed from the parties' accounts, as clients/rust/src/analytics.rs sums them (no node needed).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSigner } from "@solana/kit";
import { JobStatus, clientStats, marketStats, marketTotals, providerStats, sumByMint, type ClientProfile, type Job, type Keyed, type Market, type Provider } from "../src";

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

describe("escrow and earnings per currency", () => {
  const LAMPORTS = "11111111111111111111111111111111";
  let nextId = 0n;
  const job = (paymentMint: string, status: JobStatus, escrow: bigint, providerPayout: bigint, provider: string, client: string): Keyed<Job> => {
    const jobId = nextId++;
    return { address: `job-${jobId}`, account: { paymentMint, status, escrow, providerPayout, provider, client, jobId } as unknown as Job } as Keyed<Job>;
  };

  it("never add a token's base units to lamports", async () => {
    const [usdc, providerKey, clientKey] = [await newAddress(), await newAddress(), await newAddress()];
    const jobs = [
      job(LAMPORTS, JobStatus.Running, 1_000n, 0n, providerKey, clientKey),
      job(usdc, JobStatus.Assigned, 2_500_000n, 0n, providerKey, clientKey),
      job(usdc, JobStatus.Completed, 0n, 1_950_000n, providerKey, clientKey),
      job(LAMPORTS, JobStatus.Completed, 0n, 975n, providerKey, clientKey),
      job(usdc, JobStatus.Submitted, 40n, 0n, providerKey, clientKey),
    ];
    assert.deepEqual(sumByMint(jobs.map((j) => j.account), (j) => j.escrow), [{ mint: LAMPORTS, amount: 1_000n }, { mint: usdc, amount: 2_500_040n }]);

    const p = { authority: providerKey, capacity: { cpuCores: 1, ramGb: 1, storageGb: 1, gpus: 0 }, free: { cpuCores: 1, ramGb: 1, storageGb: 1, gpus: 0 }, jobsCompleted: 0n, jobsFailed: 0n, totalEarned: 0n, counterparties: 0n, feesOwed: 0n, earningsOwed: 0n } as unknown as Provider;
    const pStats = providerStats(p, jobs);
    assert.equal(pStats.pendingEscrow, 1_000n);
    assert.deepEqual(pStats.pendingEscrowByMint, [{ mint: LAMPORTS, amount: 1_000n }, { mint: usdc, amount: 2_500_040n }]);
    assert.equal(pStats.earnedInListedJobs, 975n);
    assert.deepEqual(pStats.earnedInListedJobsByMint, [{ mint: LAMPORTS, amount: 975n }, { mint: usdc, amount: 1_950_000n }]);

    const counters = { jobsPosted: 5n, jobsCompleted: 2n, jobsCancelled: 0n, jobsExpired: 0n, jobsDisputed: 0n, totalSpent: 0n, feesPaid: 0n, totalRefunded: 0n };
    const cStats = clientStats({ authority: clientKey, ...counters } as unknown as ClientProfile, jobs);
    assert.equal(cStats.inEscrow, 1_000n);
    assert.deepEqual(cStats.inEscrowByMint, [{ mint: LAMPORTS, amount: 1_000n }, { mint: usdc, amount: 2_500_040n }]);

    const totals = marketTotals({ feeBps: 250 } as unknown as Market, [], [], jobs);
    assert.equal(totals.escrowHeld, 1_000n);
    assert.deepEqual(totals.escrowHeldByMint, cStats.inEscrowByMint);
  });
});
