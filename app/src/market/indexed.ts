// The dApp's reads from the index's REST API (docs/API.md) when the cluster has one: the lists of providers
// and jobs, job timelines and the market's figures. The screens work on accounts as the program stores them,
// so an indexed provider or job becomes that shape here; what the index does not carry (a job's deadlines
// and result hash, the fees and earnings a provider's account holds) is read from the node for the
// connected wallet's own records, which it acts on; GPU hardware and needs are read for every record with GPUs
// (`withAccountDetails`).
import {
  ANY_GPU, IndexApi, JobStatus, LAMPORT_MINT, amountOf, collectPages, generated, providerPda,
  type IndexEvent, type IndexJob, type IndexMarketStats, type IndexProvider, type Job, type Keyed, type Market, type MarketClient, type Provider,
} from "@compute-market/client";
import { fetchEncodedAccounts, isAddress, type Address } from "@solana/kit";
import { withAccountDetails } from "./accountDetails";
import type { TimedEvent } from "./history";

/** At most this many providers and jobs are listed (the newest); `complete` says when more exist. */
export const MAX_LISTED = 5_000;
/** At most this many events of one job's timeline. */
export const MAX_TIMELINE = 2_000;

const DEFAULT_ADDRESS = "11111111111111111111111111111111" as Address;
/** An address from the index, checked: anything that is not one throws (the item is then dropped). */
const key = (text: string | null | undefined): Address => {
  if (!text) return DEFAULT_ADDRESS;
  if (!isAddress(text)) throw new Error(`not an address: ${text.slice(0, 60)}`);
  return text;
};
const STATUS: Record<string, JobStatus> = {
  open: JobStatus.Open, assigned: JobStatus.Assigned, running: JobStatus.Running, submitted: JobStatus.Submitted,
  disputed: JobStatus.Disputed, completed: JobStatus.Completed, expired: JobStatus.Expired, resolved: JobStatus.Resolved,
};
const IN_FLIGHT = ["assigned", "running", "submitted", "disputed"];
const ZERO_WINDOWS = { startWindowSecs: 0, reviewWindowSecs: 0, graceSecs: 0, disputeWindowSecs: 0 };
const NONE = new Uint8Array(0);
const resources = (r: IndexProvider["capacity"]) => ({ cpuCores: r.cpu_cores, ramGb: r.ram_gb, storageGb: r.storage_gb, gpus: r.gpus });
const hexBytes = (hex: string) => Uint8Array.from({ length: 32 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2) || "0", 16) || 0);
const big = (v: bigint | number | null | undefined) => BigInt(v ?? 0);

/**
 * An indexed job as the program's Job account; null for one whose account is gone (closed, cancelled). Its
 * deadlines, windows, result hash and spec URI are not in the index and read as zero / empty, its GPU needs as any
 * (`withAccountDetails` reads them where they matter); its bond terms are the index's.
 */
export function toJob(j: IndexJob): Keyed<Job> | null {
  const status = STATUS[j.status];
  if (j.closed || status === undefined) return null;
  const account: Job = {
    discriminator: NONE, client: key(j.client), provider: key(j.provider), paymentMint: key(j.mint), targetProvider: key(j.target_provider),
    jobId: big(j.job_id), maxPricePerHour: big(j.max_price_per_hour), agreedPricePerHour: big(j.agreed_price_per_hour),
    escrow: big(j.escrow), providerPayout: big(j.provider_payout), fee: big(j.fee), clientRefund: big(j.refund),
    postedAt: big(j.posted_at), assignedAt: big(j.assigned_at), startedAt: big(j.started_at), submittedAt: big(j.submitted_at),
    disputedAt: 0n, finishedAt: big(j.settled_at), startDeadline: 0n, runDeadline: 0n, graceDeadline: 0n,
    reviewDeadline: 0n, disputeDeadline: 0n, requirements: resources(j.requirements), durationSecs: j.duration_secs,
    feeBps: j.fee_bps, minReputation: j.min_reputation, status, rating: j.rating ?? 0, bump: 0, vaultBump: 0, specHash: hexBytes(j.spec_hash),
    resultHash: new Uint8Array(32), windows: ZERO_WINDOWS, specUri: { len: 0, bytes: NONE }, reserved: NONE,
    gpu: ANY_GPU, slashBps: j.slash_bps, reservedBond: NONE, minBond: big(j.min_bond),
  };
  return { address: key(j.address), account };
}

/**
 * An indexed provider as the program's Provider account. Jobs in flight and distinct paying clients are
 * counted from the indexed jobs; the fees and earnings its account holds are not indexed (zero here: the
 * wallet's own provider is read from its account), nor is its hardware (none here: `withAccountDetails` reads it).
 */
export function toProvider(p: IndexProvider, jobs: IndexJob[]): Keyed<Provider> {
  const own = jobs.filter((j) => j.provider === p.authority);
  const uri = new TextEncoder().encode(p.metadata_uri).slice(0, 512);
  const account: Provider = {
    discriminator: NONE, authority: key(p.authority), jobsCompleted: big(p.jobs_completed), jobsFailed: big(p.jobs_failed), disputesLost: 0n,
    ratingSum: 0n, ratingCount: 0n, totalEarned: big(p.lamports_earned), registeredAt: big(p.registered_at),
    lastActiveAt: big(p.last_heartbeat_at),
    rates: { perCore: big(p.rates.per_core), perGbRam: big(p.rates.per_gb_ram), perGbStorage: big(p.rates.per_gb_storage), perGpu: big(p.rates.per_gpu) },
    capacity: resources(p.capacity), free: resources(p.free),
    activeJobs: own.filter((j) => IN_FLIGHT.includes(j.status)).length,
    reputation: p.reputation, active: p.active ? 1 : 0, bump: 0, metadataUri: { len: uri.length, bytes: uri }, assignment: p.assignment,
    retired: p.retired ? 1 : 0, cpuArch: 0, gpuModel: 0, vramGb: 0, deliveredUnits: 0n, failedUnits: 0n, lostUnits: 0n,
    counterparties: BigInt(new Set(own.filter((j) => j.provider_payout > 0n).map((j) => j.client)).size),
    feesOwed: 0n, earningsOwed: 0n,
  };
  return { address: key(p.account), account };
}

/** Keeps the items that convert (an address that is not a valid key is dropped, not thrown). */
function convertAll<T, U>(items: T[], convert: (item: T) => U | null): U[] {
  const out: U[] = [];
  for (const item of items) {
    try {
      const converted = convert(item);
      if (converted) out.push(converted);
    } catch {
      // Not a valid key: skipped.
    }
  }
  return out;
}

export interface IndexedMarket {
  market: Market;
  providers: Keyed<Provider>[];
  jobs: Keyed<Job>[];
  /** False when the index held more than MAX_LISTED providers or jobs (the newest are listed). */
  complete: boolean;
}

const order = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The market (its account), every provider and every job still on chain (from the index), with the
 * connected wallet's own provider and jobs read from their accounts (exact, and with what the index lacks).
 */
export async function loadFromIndex(client: MarketClient, api: IndexApi, me: Address | null): Promise<IndexedMarket> {
  const [market, providerList, jobList] = await Promise.all([
    client.getMarket(),
    collectPages((cursor) => api.providers({ limit: 500, cursor }), MAX_LISTED),
    collectPages((cursor) => api.jobs({ limit: 500, cursor }), MAX_LISTED),
  ]);
  let { providers, jobs } = await withAccountDetails(client, convertAll(providerList.items, (p) => toProvider(p, jobList.items)), convertAll(jobList.items, toJob));
  if (me) {
    const mine = jobs.filter((j) => j.account.client === me || (j.account.status !== JobStatus.Open && j.account.provider === me)).slice(0, 500);
    const ownAddress = await providerPda(me);
    const [[own], ...ownJobs] = await Promise.all([
      fetchEncodedAccounts(client.rpc, [ownAddress], { commitment: "confirmed" }),
      ...chunks(mine, 100).map((chunk) => fetchEncodedAccounts(client.rpc, chunk.map((j) => j.address), { commitment: "confirmed" })),
    ]);
    const decodeJob = generated.getJobDecoder();
    const fresh = new Map<string, Job | null>();
    ownJobs.flat().forEach((account, i) => fresh.set(mine[i].address, account.exists ? decodeJob.decode(account.data) : null));
    jobs = jobs.flatMap((j) => {
      if (!fresh.has(j.address)) return [j];
      const account = fresh.get(j.address);
      return account ? [{ address: j.address, account }] : [];
    });
    if (own.exists) {
      const account = generated.getProviderDecoder().decode(own.data);
      providers = [...providers.filter((p) => p.account.authority !== me), { address: ownAddress, account }];
    }
  }
  jobs.sort((a, b) => order(a.account.postedAt, b.account.postedAt) || order(a.account.jobId, b.account.jobId));
  return { market, providers, jobs, complete: providerList.complete && jobList.complete };
}

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * An event's fields as the timeline may read them: strings (cut to 1,000 characters), finite numbers, booleans,
 * null, and lists of byte values; anything else an untrusted answer could hold (objects) is left out.
 */
export function plainFields(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(data).slice(0, 64)) {
    if (typeof value === "string") out[name] = value.slice(0, 1_000);
    else if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean" || value === null) out[name] = value;
    else if (Array.isArray(value) && value.length <= 64 && value.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) out[name] = value;
  }
  return out;
}

/** An indexed event as the timeline draws it. */
export function timedFromIndex(e: IndexEvent): TimedEvent {
  const data = plainFields(e.data);
  const stamp = Number(data.timestamp);
  return { name: e.name.slice(0, 100), data, time: Number.isSafeInteger(stamp) && stamp > 0 ? stamp : e.block_time ?? 0, signature: e.signature };
}

/** A job's timeline from the index, oldest first. */
export async function indexedTimeline(api: IndexApi, job: Address): Promise<TimedEvent[]> {
  const { items } = await collectPages((cursor) => api.jobEvents(job, { limit: 500, cursor }), MAX_TIMELINE);
  return items.map(timedFromIndex);
}

/** A provider's events from the index (newest first there), oldest first. */
export async function indexedProviderEvents(api: IndexApi, provider: Address): Promise<TimedEvent[]> {
  const { items } = await collectPages((cursor) => api.events({ provider, limit: 500, cursor }), MAX_TIMELINE);
  return items.map(timedFromIndex).reverse();
}

/**
 * Waits (up to `ms`) until the index has read the chain up to `slot`, so that a reload after an account
 * change sees it; returns whether it did. A failing /health ends the wait (the reload then says why).
 */
export async function waitForSlot(api: IndexApi, slot: number, ms = 6_000, step = 300): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if ((await api.health()).indexed_slot >= slot) return true;
    } catch {
      return false;
    }
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, step));
  }
}

/** What the market was paid in one currency (a payment mint; LAMPORT_MINT for SOL). */
export interface CurrencyFigures {
  mint: string;
  jobsPosted: number;
  jobsCompleted: number;
  /** Base units paid for work (provider payouts plus fees), the fees alone, and refunds. */
  volume: bigint;
  fees: bigint;
  refunds: bigint;
}

/** The market's figures as the Market screen shows them, from the index. */
export interface IndexedFigures {
  providers: number;
  activeProviders: number;
  clients: number;
  jobsPosted: number;
  jobsCompleted: number;
  jobsCancelled: number;
  jobsFailed: number;
  jobsDisputed: number;
  /** Lamports (the SOL figures; every currency's are in `byCurrency`). */
  volume: bigint;
  fees: bigint;
  /** Lamport fees not yet sent to the treasury: the fees of settled lamport jobs less what collect_fees moved. */
  feesUncollected: bigint;
  /** Per currency with any job, SOL first. */
  byCurrency: CurrencyFigures[];
  /** Per day with activity: jobs in every currency, volume and fees of the lamport one. */
  series: { time: number; posted: number; completed: number; volume: bigint; fees: bigint }[];
  /** Per currency, per day with activity: that currency's jobs, volume and fees. */
  seriesByMint: Record<string, IndexedFigures["series"]>;
}

/** Days the market's totals cover: the index's longest range (3,660 day buckets), in effect all time. */
const ALL_DAYS = 3_650;

export async function indexedFigures(api: IndexApi, providers: Keyed<Provider>[], now = Math.floor(Date.now() / 1000)): Promise<IndexedFigures> {
  const from = Math.floor(now / 86_400) * 86_400 - ALL_DAYS * 86_400;
  const [stats, collected] = await Promise.all([
    api.marketStats({ bucket: "day", from, to: now }),
    collectPages((cursor) => api.events({ name: "FeesCollected", limit: 500, cursor }), 100_000),
  ]);
  return figuresFrom(stats, providers, collected.items);
}

const sumBy = <T>(items: T[], f: (item: T) => number) => items.reduce((s, i) => s + f(i), 0);

export function figuresFrom(stats: IndexMarketStats, providers: Keyed<Provider>[], feesCollected: IndexEvent[]): IndexedFigures {
  const lamport = stats.totals.filter((t) => t.mint === LAMPORT_MINT);
  const collected = feesCollected.reduce((s, e) => {
    const amount = e.data.amount;
    return s + (typeof amount === "number" && Number.isSafeInteger(amount) && amount > 0 ? BigInt(amount) : typeof amount === "string" && /^\d{1,20}$/.test(amount) ? BigInt(amount) : 0n);
  }, 0n);
  const fees = amountOf(lamport.map((t) => ({ mint: t.mint, amount: t.fees })));
  const listed = providers.filter((p) => p.account.retired === 0);
  const byCurrency = new Map<string, CurrencyFigures>();
  for (const t of stats.totals) {
    const c = byCurrency.get(t.mint) ?? { mint: t.mint, jobsPosted: 0, jobsCompleted: 0, volume: 0n, fees: 0n, refunds: 0n };
    byCurrency.set(t.mint, { ...c, jobsPosted: c.jobsPosted + t.jobs_posted, jobsCompleted: c.jobsCompleted + t.jobs_completed, volume: c.volume + t.volume, fees: c.fees + t.fees, refunds: c.refunds + t.refunds });
  }
  const mints = [...byCurrency.keys()];
  return {
    providers: listed.length,
    activeProviders: listed.filter((p) => p.account.active !== 0).length,
    clients: stats.clients,
    jobsPosted: sumBy(stats.totals, (t) => t.jobs_posted),
    jobsCompleted: sumBy(stats.totals, (t) => t.jobs_completed),
    jobsCancelled: sumBy(stats.totals, (t) => t.jobs_cancelled),
    jobsFailed: sumBy(stats.totals, (t) => t.jobs_failed),
    jobsDisputed: sumBy(stats.totals, (t) => t.jobs_disputed),
    volume: amountOf(lamport.map((t) => ({ mint: t.mint, amount: t.volume }))),
    fees,
    feesUncollected: fees > collected ? fees - collected : 0n,
    byCurrency: [...byCurrency.values()].sort((a, b) => (a.mint === LAMPORT_MINT ? -1 : b.mint === LAMPORT_MINT ? 1 : 0)),
    series: byBucket(stats, LAMPORT_MINT, false),
    seriesByMint: Object.fromEntries(mints.map((mint) => [mint, byBucket(stats, mint, true)])),
  };
}

/** The series per bucket: jobs in every currency (or only in `mint`, when `onlyMint`), volume and fees of `mint`. */
function byBucket(stats: IndexMarketStats, mint: string, onlyMint: boolean): IndexedFigures["series"] {
  const points = new Map<number, IndexedFigures["series"][number]>();
  for (const p of stats.series) {
    if (onlyMint && p.mint !== mint) continue;
    let point = points.get(p.bucket_start);
    if (!point) points.set(p.bucket_start, (point = { time: p.bucket_start, posted: 0, completed: 0, volume: 0n, fees: 0n }));
    point.posted += p.jobs_posted;
    point.completed += p.jobs_completed;
    if (p.mint === mint) {
      point.volume += p.volume;
      point.fees += p.fees;
    }
  }
  return [...points.values()].sort((a, b) => a.time - b.time);
}
