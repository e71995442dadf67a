// Figures derived from accounts. Lamport amounts are exact bigints; rates are basis points. The program keeps
// no market-wide counter (no job writes a shared account): market totals are sums over the parties' accounts,
// as clients/rust/src/analytics.rs computes them.
import type { BN } from "@anchor-lang/core";
import type { ClientProfile, Job, Keyed, Market, Provider, Rates, Resources } from "./types";
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
  /** Distinct clients that paid for counted work. */
  counterparties: bigint;
  /** Lamport fees on the provider's account waiting for collect_fees to move them to the treasury. */
  feesOwed: bigint;
  /** Lamport earnings its wallet could not receive when paid, waiting for withdraw_earnings. */
  earningsOwed: bigint;
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
    counterparties: big(p.counterparties),
    feesOwed: big(p.feesOwed),
    earningsOwed: big(p.earningsOwed),
  };
}

export interface ClientStats {
  jobsPosted: bigint;
  jobsCompleted: bigint;
  jobsCancelled: bigint;
  jobsExpired: bigint;
  jobsDisputed: bigint;
  /** Paid for work, fee included, over the client's life. */
  totalSpent: bigint;
  /** Of `totalSpent`, the platform's fee. */
  feesPaid: bigint;
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
    jobsCancelled: big(profile.jobsCancelled),
    jobsExpired: big(profile.jobsExpired),
    jobsDisputed: big(profile.jobsDisputed),
    totalSpent: big(profile.totalSpent),
    feesPaid: big(profile.feesPaid),
    totalRefunded: big(profile.totalRefunded),
    inEscrow: history.reduce((sum, j) => sum + big(j.account.escrow), 0n),
    history,
  };
}

const U64_MAX = (1n << 64n) - 1n;
/** Sums as the program's counters do: saturating at u64::MAX. */
const saturatingSum = (values: bigint[]): bigint => values.reduce((sum, v) => (sum + v > U64_MAX ? U64_MAX : sum + v), 0n);

/** Market-wide counts and lamport totals, summed from the per-party accounts. */
export interface MarketStats {
  /** Providers registered and not retired. */
  providers: bigint;
  clients: bigint;
  jobsPosted: bigint;
  jobsCompleted: bigint;
  jobsCancelled: bigint;
  jobsExpired: bigint;
  jobsDisputed: bigint;
  /** Lamports paid for work (provider share plus fee), over all settled lamport jobs. */
  volumeLamports: bigint;
  /** Lamport fees of settled jobs, collected by the treasury or still set aside on providers. */
  feesCollected: bigint;
  /** Of those, still on provider accounts waiting for collect_fees. */
  feesUncollected: bigint;
}

export function marketStats(providers: Keyed<Provider>[], clients: Keyed<ClientProfile>[]): MarketStats {
  const sum = (field: (c: ClientProfile) => BN) => saturatingSum(clients.map((c) => big(field(c.account))));
  return {
    providers: BigInt(providers.filter((p) => p.account.retired === 0).length),
    clients: BigInt(clients.length),
    jobsPosted: sum((c) => c.jobsPosted),
    jobsCompleted: sum((c) => c.jobsCompleted),
    jobsCancelled: sum((c) => c.jobsCancelled),
    jobsExpired: sum((c) => c.jobsExpired),
    jobsDisputed: sum((c) => c.jobsDisputed),
    volumeLamports: sum((c) => c.totalSpent),
    feesCollected: sum((c) => c.feesPaid),
    feesUncollected: saturatingSum(providers.map((p) => big(p.account.feesOwed))),
  };
}

export interface MarketTotals {
  stats: MarketStats;
  /** Providers accepting jobs now (active and not retired). */
  activeProviders: number;
  feeBps: number;
  jobsByStatus: Record<keyof typeof JobStatus, number>;
  escrowHeld: bigint;
}

export function marketTotals(market: Market, providers: Keyed<Provider>[], clients: Keyed<ClientProfile>[], jobs: Keyed<Job>[]): MarketTotals {
  const jobsByStatus = Object.fromEntries(
    Object.keys(JobStatus)
      .filter((k) => isNaN(Number(k)))
      .map((name) => [name, jobs.filter((j) => j.account.status === JobStatus[name as keyof typeof JobStatus]).length]),
  ) as Record<keyof typeof JobStatus, number>;
  return {
    stats: marketStats(providers, clients),
    activeProviders: providers.filter((p) => p.account.active !== 0 && p.account.retired === 0).length,
    feeBps: market.feeBps,
    jobsByStatus,
    escrowHeld: jobs.reduce((sum, j) => sum + big(j.account.escrow), 0n),
  };
}
