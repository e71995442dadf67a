// Figures derived from accounts. Lamport amounts are exact bigints; rates are basis points. The program keeps
// no market-wide counter (no job writes a shared account): market totals are sums over the parties' accounts,
// as clients/rust/src/analytics.rs computes them.
//
// Activity over time (providerActivity, clientActivity) reads the index's API (docs/API.md, see api.ts) when
// given its URL (`apiUrl`): exact per-day figures over any range, utilisation and uptime. Without one it falls
// back to the node: the events of the latest 500 transactions of the party's account, so older days may miss
// activity and utilisation and uptime are unknown; the result says which (`source: "index" | "node"`, and a
// `note` from the node). The functions above are unchanged: they take accounts the caller read.
import type { Address, Signature } from "@solana/kit";
import { IndexApi, LAMPORT_MINT, amountOf, type MintAmount } from "./api";
import { decodeEvents } from "./events";
import { clientProfilePda, providerPda } from "./pda";
import type { MarketRpc } from "./send";
import type { ClientProfile, Job, Keyed, Market, Provider, Rates, Resources } from "./types";
import { JobStatus } from "./types";

const big = (v: bigint | number): bigint => BigInt(v);

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

/**
 * What `extend_job` escrows for `addedSecs` more of `job`, at its agreed price: the cost of the new duration less
 * the cost of the old, each rounded down as the program rounds them (so extending in steps never escrows less
 * than adding the same time at once).
 */
export function extensionEscrow(job: Pick<Job, "agreedPricePerHour" | "durationSecs">, addedSecs: number): bigint {
  return costFor(job.agreedPricePerHour, job.durationSecs + addedSecs) - costFor(job.agreedPricePerHour, job.durationSecs);
}

/**
 * Sums of `value` over `jobs`, one per payment mint (lamport jobs under LAMPORT_MINT), in first-seen order:
 * lamports and a token's base units never add up.
 */
export function sumByMint(jobs: Job[], value: (job: Job) => bigint | number): MintAmount[] {
  const sums = new Map<string, bigint>();
  for (const job of jobs) sums.set(job.paymentMint, (sums.get(job.paymentMint) ?? 0n) + big(value(job)));
  return [...sums].map(([mint, amount]) => ({ mint, amount }));
}

/** `part / whole` in basis points, rounded down; null when whole is 0. */
export function bps(part: bigint, whole: bigint): number | null {
  return whole === 0n ? null : Number((part * 10_000n) / whole);
}

const pending = [JobStatus.Assigned, JobStatus.Running, JobStatus.Submitted];

export interface ProviderStats {
  totalEarned: bigint;
  /** Lamports paid out in the listed jobs (token jobs are in `earnedInListedJobsByMint`). */
  earnedInListedJobs: bigint;
  earnedInListedJobsByMint: MintAmount[];
  /** Lamports escrowed by the provider's jobs in flight (each currency in `pendingEscrowByMint`). */
  pendingEscrow: bigint;
  pendingEscrowByMint: MintAmount[];
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
  const own = jobs.map((j) => j.account).filter((j) => j.provider === p.authority);
  const used = (k: keyof Resources) => bps(big(p.capacity[k]) - big(p.free[k]), big(p.capacity[k]));
  const completed = big(p.jobsCompleted);
  const earned = sumByMint(own, (j) => j.providerPayout);
  const inFlight = sumByMint(own.filter((j) => pending.includes(j.status)), (j) => j.escrow);
  return {
    totalEarned: big(p.totalEarned),
    earnedInListedJobs: amountOf(earned),
    earnedInListedJobsByMint: earned,
    pendingEscrow: amountOf(inFlight),
    pendingEscrowByMint: inFlight,
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
  /** Lamports held in escrow for the client's jobs (each currency in `inEscrowByMint`). */
  inEscrow: bigint;
  inEscrowByMint: MintAmount[];
  /** The client's jobs still on chain, oldest first. */
  history: Keyed<Job>[];
}

export function clientStats(profile: ClientProfile, jobs: Keyed<Job>[]): ClientStats {
  const history = jobs
    .filter((j) => j.account.client === profile.authority)
    .sort((a, b) => (a.account.jobId < b.account.jobId ? -1 : a.account.jobId > b.account.jobId ? 1 : 0));
  const escrow = sumByMint(history.map((j) => j.account), (j) => j.escrow);
  return {
    jobsPosted: big(profile.jobsPosted),
    jobsCompleted: big(profile.jobsCompleted),
    jobsCancelled: big(profile.jobsCancelled),
    jobsExpired: big(profile.jobsExpired),
    jobsDisputed: big(profile.jobsDisputed),
    totalSpent: big(profile.totalSpent),
    feesPaid: big(profile.feesPaid),
    totalRefunded: big(profile.totalRefunded),
    inEscrow: amountOf(escrow),
    inEscrowByMint: escrow,
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
  const sum = (field: (c: ClientProfile) => bigint) => saturatingSum(clients.map((c) => big(field(c.account))));
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
  /** Lamports held in job escrows (each currency in `escrowHeldByMint`). */
  escrowHeld: bigint;
  escrowHeldByMint: MintAmount[];
}

export function marketTotals(market: Market, providers: Keyed<Provider>[], clients: Keyed<ClientProfile>[], jobs: Keyed<Job>[]): MarketTotals {
  const jobsByStatus = Object.fromEntries(
    Object.keys(JobStatus)
      .filter((k) => isNaN(Number(k)))
      .map((name) => [name, jobs.filter((j) => j.account.status === JobStatus[name as keyof typeof JobStatus]).length]),
  ) as Record<keyof typeof JobStatus, number>;
  const escrow = sumByMint(jobs.map((j) => j.account), (j) => j.escrow);
  return {
    stats: marketStats(providers, clients),
    activeProviders: providers.filter((p) => p.account.active !== 0 && p.account.retired === 0).length,
    feeBps: market.feeBps,
    jobsByStatus,
    escrowHeld: amountOf(escrow),
    escrowHeldByMint: escrow,
  };
}

// --- activity over time: from the index when its URL is given, else from the node's recent transactions ---

/** Where figures came from: the index's API, or the node (accounts and its latest transactions only). */
export type AnalyticsSource = "index" | "node";

/** What a figure read from the node instead of an index leaves out, in words. */
export const NODE_HISTORY_NOTE = "no index configured: lists come from the node and history is limited to recent transactions";

export interface ActivityOptions {
  /** The index's API (docs/API.md); without it (null, undefined or "") the node is read instead. */
  apiUrl?: string | null;
  /** Days to cover, today included (default 30; at most 3,660). */
  days?: number;
  /** Unix seconds taken as now (default: the clock). */
  now?: number;
  /** The fetch the index client uses (tests pass their own). */
  fetch?: typeof fetch;
  /** Without an index: how many of the node's latest transactions to read (default 500). */
  recentTransactions?: number;
}

/** One day of a party's activity. Lamport amounts are exact; other currencies are in `Activity.totals.otherMints`. */
export interface ActivityPoint {
  /** Start of the day, Unix seconds (UTC). */
  start: number;
  jobsPosted: number;
  jobsCompleted: number;
  jobsFailed: number;
  completionRateBps: number | null;
  /** A provider's earnings (payouts, held ones included); a client's spending (payout plus fee), in lamports. */
  lamports: bigint;
  /** Of a client's spending, the fees. */
  fees: bigint;
  /** Refunded to a client. */
  refunded: bigint;
  /** A provider's utilisation (index only, null from the node or without declared cores). */
  utilisationBps: number | null;
  /** Whether a provider's agent sent a heartbeat that day (index only). */
  up: boolean | null;
}

export interface Activity {
  source: AnalyticsSource;
  /** Null from the index; from the node, what the figures leave out. */
  note: string | null;
  from: number;
  to: number;
  /** One point per day of the range, empty days included, oldest first. */
  series: ActivityPoint[];
  totals: Omit<ActivityPoint, "start" | "up"> & { uptimeBps: number | null; otherMints: MintAmount[] };
}

const DAY = 86_400;

function range(options: ActivityOptions): { from: number; to: number; days: number } {
  const days = Math.min(Math.max(Math.floor(options.days ?? 30), 1), 3_660);
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const from = Math.floor(now / DAY) * DAY - (days - 1) * DAY;
  return { from, to: now, days };
}

const emptyPoint = (start: number): ActivityPoint => ({
  start, jobsPosted: 0, jobsCompleted: 0, jobsFailed: 0, completionRateBps: null, lamports: 0n, fees: 0n, refunded: 0n, utilisationBps: null, up: null,
});

const rate = (completed: number, failed: number) => bps(BigInt(completed), BigInt(completed + failed));

function addMint(list: MintAmount[], mint: string, amount: bigint) {
  if (amount === 0n) return;
  const found = list.find((m) => m.mint === mint);
  if (found) found.amount += amount;
  else list.push({ mint, amount });
}

function totalsOf(series: ActivityPoint[], extra: { utilisationBps: number | null; uptimeBps: number | null; otherMints: MintAmount[] }): Activity["totals"] {
  const sum = <K extends "jobsPosted" | "jobsCompleted" | "jobsFailed">(k: K) => series.reduce((s, p) => s + p[k], 0);
  const sumBig = <K extends "lamports" | "fees" | "refunded">(k: K) => series.reduce((s, p) => s + p[k], 0n);
  const jobsCompleted = sum("jobsCompleted");
  const jobsFailed = sum("jobsFailed");
  return {
    jobsPosted: sum("jobsPosted"), jobsCompleted, jobsFailed, completionRateBps: rate(jobsCompleted, jobsFailed),
    lamports: sumBig("lamports"), fees: sumBig("fees"), refunded: sumBig("refunded"), ...extra,
  };
}

/** A program event from the node as the index writes it: addresses base58, integers as decimal text, enums snake_case. */
export function plainEventData(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(plainEventData);
  const entries = Object.entries(value as Record<string, unknown>);
  // An enum variant without fields ({ NotStarted: {} }) becomes its snake_case name (not_started).
  if (entries.length === 1 && typeof entries[0][1] === "object" && entries[0][1] !== null && Object.keys(entries[0][1] as object).length === 0) {
    return entries[0][0].replace(/[A-Z]/g, (c, at: number) => `${at === 0 ? "" : "_"}${c.toLowerCase()}`);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, plainEventData(v)]));
}

export interface RecentEvent {
  name: string;
  data: Record<string, unknown>;
  /** The event's own timestamp. */
  time: number;
  signature: string;
}

/** The program's events in the node's latest `limit` successful transactions that touched `address`, oldest first. */
export async function recentEvents(rpc: MarketRpc, address: Address, limit = 500): Promise<RecentEvent[]> {
  const listed = await rpc.getSignaturesForAddress(address, { limit, commitment: "confirmed" }).send();
  const signatures: Signature[] = listed.filter((s) => s.err === null).reverse().map((s) => s.signature);
  const events: RecentEvent[] = [];
  for (let i = 0; i < signatures.length; i += 50) {
    const chunk = signatures.slice(i, i + 50);
    const transactions = await Promise.all(chunk.map((signature) =>
      rpc.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "json" }).send()));
    transactions.forEach((tx, index) => {
      for (const event of decodeEvents(tx?.meta?.logMessages ?? [])) {
        const data = plainEventData(event.data) as Record<string, unknown>;
        events.push({ name: event.name, data, time: Number(data.timestamp ?? 0), signature: chunk[index] });
      }
    });
  }
  return events.sort((a, b) => a.time - b.time);
}

const value = (v: unknown): bigint => (typeof v === "string" && /^\d+$/.test(v) ? BigInt(v) : typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : 0n);

/** Days of the range, with a point for the day of unix time `t` (undefined outside the range). */
function days(from: number, count: number) {
  const series = Array.from({ length: count }, (_, i) => emptyPoint(from + i * DAY));
  return { series, at: (t: number) => (t >= from && t < from + count * DAY ? series[Math.floor((t - from) / DAY)] : undefined) };
}

function providerFromNode(events: RecentEvent[], authority: string, from: number, count: number): Activity {
  const { series, at } = days(from, count);
  const otherMints: MintAmount[] = [];
  for (const e of events) {
    const point = at(e.time);
    if (!point || e.data.provider !== authority) continue;
    const mint = String(e.data.payment_mint ?? LAMPORT_MINT);
    const payout = value(e.data.provider_payout);
    if (e.name === "JobCompleted") point.jobsCompleted += 1;
    if (e.name === "DisputeResolved") Number(e.data.provider_bps) >= 5_000 ? (point.jobsCompleted += 1) : (point.jobsFailed += 1);
    if (e.name === "JobExpired" && e.data.reason !== "dispute_unresolved") point.jobsFailed += 1;
    if (["JobCompleted", "DisputeResolved", "JobExpired"].includes(e.name)) {
      if (mint === LAMPORT_MINT) point.lamports += payout;
      else addMint(otherMints, mint, payout);
    }
  }
  series.forEach((p) => (p.completionRateBps = rate(p.jobsCompleted, p.jobsFailed)));
  return { source: "node", note: NODE_HISTORY_NOTE, from, to: from + count * DAY, series, totals: totalsOf(series, { utilisationBps: null, uptimeBps: null, otherMints }) };
}

function clientFromNode(events: RecentEvent[], authority: string, from: number, count: number): Activity {
  const { series, at } = days(from, count);
  const otherMints: MintAmount[] = [];
  for (const e of events) {
    const point = at(e.time);
    if (!point || e.data.client !== authority) continue;
    const lamports = String(e.data.payment_mint ?? LAMPORT_MINT) === LAMPORT_MINT;
    const paid = value(e.data.provider_payout) + value(e.data.fee);
    const back = value(e.data.refund) + value(e.data.surplus);
    if (e.name === "JobPosted") point.jobsPosted += 1;
    if (e.name === "JobCompleted") point.jobsCompleted += 1;
    if (["JobCompleted", "DisputeResolved", "JobExpired", "JobCancelled", "JobAssigned"].includes(e.name)) {
      if (!lamports) addMint(otherMints, String(e.data.payment_mint), paid);
      else {
        point.lamports += paid;
        point.fees += value(e.data.fee);
        point.refunded += back;
      }
    }
  }
  return { source: "node", note: NODE_HISTORY_NOTE, from, to: from + count * DAY, series, totals: totalsOf(series, { utilisationBps: null, uptimeBps: null, otherMints }) };
}

/** Fills the days the index's series leaves out (it lists every bucket; this only guards a short answer). */
function byDay(from: number, count: number, points: ActivityPoint[]): ActivityPoint[] {
  const { series, at } = days(from, count);
  for (const p of points) {
    const slot = at(p.start);
    if (slot) series[series.indexOf(slot)] = { ...p, start: slot.start };
  }
  return series;
}

const exists = async (rpc: MarketRpc, address: Address) =>
  (await rpc.getAccountInfo(address, { commitment: "confirmed", encoding: "base64" }).send()).value !== null;

const api = (options: ActivityOptions) => new IndexApi(options.apiUrl as string, { fetch: options.fetch });

/**
 * A provider's last `days` days: earnings, completed and failed jobs, completion rate, and from the index also
 * utilisation and uptime. Null when the provider is unknown (not indexed, or no account on the node).
 */
export async function providerActivity(rpc: MarketRpc, authority: Address, options: ActivityOptions = {}): Promise<Activity | null> {
  const { from, to, days: count } = range(options);
  if (options.apiUrl) {
    const stats = await IndexApi.orNull(api(options).providerStats(authority, { bucket: "day", from, to }));
    if (!stats) return null;
    const points = stats.series.map((p) => ({
      ...emptyPoint(p.bucket_start), jobsCompleted: p.jobs_completed, jobsFailed: p.jobs_failed, completionRateBps: p.completion_rate_bps,
      lamports: amountOf(p.earnings), utilisationBps: p.utilisation_bps, up: p.up,
    }));
    const t = stats.totals;
    const series = byDay(from, count, points);
    return {
      source: "index", note: null, from: stats.from, to: stats.to, series,
      totals: {
        ...totalsOf(series, { utilisationBps: t.utilisation_bps, uptimeBps: t.uptime_bps, otherMints: t.earnings.filter((m) => m.mint !== LAMPORT_MINT) }),
        jobsCompleted: t.jobs_completed, jobsFailed: t.jobs_failed, completionRateBps: t.completion_rate_bps, lamports: amountOf(t.earnings),
      },
    };
  }
  const account = await providerPda(authority);
  if (!(await exists(rpc, account))) return null;
  return providerFromNode(await recentEvents(rpc, account, options.recentTransactions), authority, from, count);
}

/** A client's last `days` days: jobs posted and completed, spent (fees apart) and refunded. Null when the client is unknown. */
export async function clientActivity(rpc: MarketRpc, authority: Address, options: ActivityOptions = {}): Promise<Activity | null> {
  const { from, to, days: count } = range(options);
  if (options.apiUrl) {
    const stats = await IndexApi.orNull(api(options).clientStats(authority, { bucket: "day", from, to }));
    if (!stats) return null;
    const points = stats.series.map((p) => ({
      ...emptyPoint(p.bucket_start), jobsPosted: p.jobs_posted, jobsCompleted: p.jobs_completed,
      lamports: amountOf(p.spent), fees: amountOf(p.fees), refunded: amountOf(p.refunded),
    }));
    const t = stats.totals;
    const series = byDay(from, count, points);
    return {
      source: "index", note: null, from: stats.from, to: stats.to, series,
      totals: {
        ...totalsOf(series, { utilisationBps: null, uptimeBps: null, otherMints: t.spent.filter((m) => m.mint !== LAMPORT_MINT) }),
        jobsPosted: t.jobs_posted, jobsCompleted: t.jobs_completed, lamports: amountOf(t.spent), fees: amountOf(t.fees), refunded: amountOf(t.refunded),
      },
    };
  }
  const profile = await clientProfilePda(authority);
  if (!(await exists(rpc, profile))) return null;
  return clientFromNode(await recentEvents(rpc, profile, options.recentTransactions), authority, from, count);
}
