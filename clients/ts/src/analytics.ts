// Figures derived from accounts. Lamport amounts are exact bigints; rates are basis points.
import type { Job, Keyed, Market, Provider, Rates, Resources, ClientProfile } from "./types";
import { JobStatus } from "./types";

const big = (v: { toString(): string } | number): bigint => BigInt(v.toString());

/** Lamports per hour that `rates` charge for `requirements`, as the program computes it. */
export function hourlyPrice(rates: Rates, r: Resources): bigint {
  return (
    big(r.cpuCores) * big(rates.perCore) +
    big(r.ramGb) * big(rates.perGbRam) +
    big(r.storageGb) * big(rates.perGbStorage) +
    big(r.gpus) * big(rates.perGpu)
  );
}

/** Lamports for `secs` seconds of work at `pricePerHour`, rounded down as the program computes it (the escrow
 *  a job posts is its maximum price for its whole duration). */
export function costFor(pricePerHour: bigint, secs: number): bigint {
  return (pricePerHour * BigInt(secs)) / 3600n;
}

/** `part / whole` in basis points, rounded down; null when whole is 0. */
export function bps(part: bigint, whole: bigint): number | null {
  return whole === 0n ? null : Number((part * 10_000n) / whole);
}

const pending = [JobStatus.Assigned, JobStatus.Running, JobStatus.Submitted];

export interface ProviderStats {
  totalEarned: bigint;
  earnedInListedJobs: bigint;
  pendingEscrow: bigint;
  completionRateBps: number | null;
  utilisationBps: { cpuCores: number | null; ramGb: number | null; storageGb: number | null; gpus: number | null };
  activeJobs: number;
  reputation: number;
}

export function providerStats(p: Provider, jobs: Keyed<Job>[]): ProviderStats {
  const own = jobs.map((j) => j.account).filter((j) => j.provider.equals(p.authority));
  const used = (k: keyof Resources) => bps(big(p.capacity[k]) - big(p.free[k]), big(p.capacity[k]));
  const completed = big(p.jobsCompleted);
  return {
    totalEarned: big(p.totalEarned),
    earnedInListedJobs: own.reduce((sum, j) => sum + big(j.providerPayout), 0n),
    pendingEscrow: own.filter((j) => pending.includes(j.status)).reduce((sum, j) => sum + big(j.escrow), 0n),
    completionRateBps: bps(completed, completed + big(p.jobsFailed)),
    utilisationBps: { cpuCores: used("cpuCores"), ramGb: used("ramGb"), storageGb: used("storageGb"), gpus: used("gpus") },
    activeJobs: p.activeJobs,
    reputation: p.reputation,
  };
}

export interface ClientStats {
  jobsPosted: bigint;
  jobsCompleted: bigint;
  totalSpent: bigint;
  totalRefunded: bigint;
  inEscrow: bigint;
  /** The client's jobs still on chain, oldest first. */
  history: Keyed<Job>[];
}

export function clientStats(profile: ClientProfile, jobs: Keyed<Job>[]): ClientStats {
  const history = jobs
    .filter((j) => j.account.client.equals(profile.authority))
    .sort((a, b) => a.account.jobId.cmp(b.account.jobId));
  return {
    jobsPosted: big(profile.jobsPosted),
    jobsCompleted: big(profile.jobsCompleted),
    totalSpent: big(profile.totalSpent),
    totalRefunded: big(profile.totalRefunded),
    inEscrow: history.reduce((sum, j) => sum + big(j.account.escrow), 0n),
    history,
  };
}

export interface MarketTotals {
  providers: bigint;
  activeProviders: number;
  jobsPosted: bigint;
  jobsCompleted: bigint;
  volume: bigint;
  fees: bigint;
  feeBps: number;
  jobsByStatus: Record<keyof typeof JobStatus, number>;
  escrowHeld: bigint;
}

export function marketTotals(market: Market, providers: Keyed<Provider>[], jobs: Keyed<Job>[]): MarketTotals {
  const jobsByStatus = Object.fromEntries(
    Object.keys(JobStatus)
      .filter((k) => isNaN(Number(k)))
      .map((name) => [name, jobs.filter((j) => j.account.status === JobStatus[name as keyof typeof JobStatus]).length]),
  ) as Record<keyof typeof JobStatus, number>;
  return {
    providers: big(market.stats.providers),
    activeProviders: providers.filter((p) => p.account.active !== 0).length,
    jobsPosted: big(market.stats.jobsPosted),
    jobsCompleted: big(market.stats.jobsCompleted),
    volume: big(market.stats.volumeLamports),
    fees: big(market.stats.feesCollected),
    feeBps: market.feeBps,
    jobsByStatus,
    escrowHeld: jobs.reduce((sum, j) => sum + big(j.account.escrow), 0n),
  };
}
