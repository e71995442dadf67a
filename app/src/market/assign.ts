// Which providers could take an open job now, as assign_job checks it, and the price the dApp shows for each:
// the price a client's or provider's assignment is then bounded by (a provider repricing in between is refused).
// A job paid in a token is priced by the provider's quote in that mint; a provider without one cannot take it. A
// bonded job needs its minimum bond free on the provider's bond in the job's currency.
import {
  ASSIGN_BY_CLIENTS, JobStatus, bondRefusal, costFor, gpuRefusal, hourlyPrice, isTokenJob, providerMatches,
  type Bond, type Job, type Keyed, type MintQuote, type Provider, type Rates, type Resources,
} from "@compute-market/client";

export interface Candidate {
  provider: Keyed<Provider>;
  /** The provider's price per hour for the job's requirements, in the job's currency (base units). */
  pricePerHour: bigint;
  /** What the job's whole duration costs at that price. */
  cost: bigint;
}

const DEFAULT_ADDRESS = "11111111111111111111111111111111";

/** The rates that price a job in `mint` at `provider`: its quote in that mint, or its lamport rates; null without a quote. */
export function ratesIn(mint: string, provider: Provider, quotes: Keyed<MintQuote>[]): Rates | null {
  if (!isTokenJob({ paymentMint: mint as Job["paymentMint"] })) return provider.rates;
  return quotes.find((q) => q.account.provider === provider.authority && q.account.mint === mint)?.account.rates ?? null;
}

/** `provider`'s bond (its authority) in `mint` among `bonds`, or null when it has none there. */
export function bondIn(bonds: Keyed<Bond>[], provider: string, mint: string): Bond | null {
  return bonds.find((b) => b.account.provider === provider && b.account.mint === mint)?.account ?? null;
}

/** Whether `rates` price every resource `r` asks for (the program refuses a quote with a zero rate for one). */
export const pricesAll = (rates: Rates, r: Resources) =>
  (r.cpuCores === 0 || rates.perCore > 0n) && (r.ramGb === 0 || rates.perGbRam > 0n) &&
  (r.storageGb === 0 || rates.perGbStorage > 0n) && (r.gpus === 0 || rates.perGpu > 0n);

/** The provider's hourly price for `job`, or null when it has no usable rates in the job's currency. */
export function priceFor(job: Pick<Job, "paymentMint" | "requirements">, provider: Provider, quotes: Keyed<MintQuote>[]): bigint | null {
  const rates = ratesIn(job.paymentMint, provider, quotes);
  if (!rates || (isTokenJob(job) && !pricesAll(rates, job.requirements))) return null;
  return hourlyPrice(rates, job.requirements);
}

/**
 * Whether `provider` could take `job` now: an open job reserved for nobody else, not the client's own, and the
 * provider active (not retired) with the free capacity, GPUs that suit the job's needs, rates in the job's currency,
 * a price within the job's maximum, the reputation it asks for and, for a bonded job, that much bond free in its
 * currency (among `bonds`: none known, none free).
 */
export function canTake(job: Job, provider: Provider, quotes: Keyed<MintQuote>[], bonds: Keyed<Bond>[] = []): boolean {
  const r = job.requirements;
  const target = job.targetProvider === DEFAULT_ADDRESS || job.targetProvider === provider.authority;
  const price = priceFor(job, provider, quotes);
  const filter = { active: true, minCores: r.cpuCores, minRamGb: r.ramGb, minStorageGb: r.storageGb, minGpus: r.gpus, minReputation: job.minReputation };
  return job.status === JobStatus.Open && target && provider.authority !== job.client && provider.retired === 0 &&
    price !== null && price <= job.maxPricePerHour && providerMatches(filter, provider) && gpuRefusal(job, provider) === null &&
    bondRefusal(job, bondIn(bonds, provider.authority, job.paymentMint)) === null;
}

/** The providers a job's client may assign it to (their policy lets clients assign them), cheapest first. */
export function clientCandidates(job: Job, providers: Keyed<Provider>[], quotes: Keyed<MintQuote>[], bonds: Keyed<Bond>[] = []): Candidate[] {
  return providers
    .filter((p) => (p.account.assignment & ASSIGN_BY_CLIENTS) !== 0 && canTake(job, p.account, quotes, bonds))
    .map((p) => {
      const pricePerHour = priceFor(job, p.account, quotes) as bigint;
      return { provider: p, pricePerHour, cost: costFor(pricePerHour, job.durationSecs) };
    })
    .sort((a, b) => (a.pricePerHour < b.pricePerHour ? -1 : a.pricePerHour > b.pricePerHour ? 1 : 0));
}
