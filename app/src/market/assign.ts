// Which providers could take an open job now, as assign_job checks it, and the price the dApp shows for each:
// the price a client's or provider's assignment is then bounded by (a provider repricing in between is refused).
import { ASSIGN_BY_CLIENTS, JobStatus, costFor, hourlyPrice, providerMatches, toBigInt, type Job, type Keyed, type Provider } from "@compute-market/client";
import { PublicKey } from "@solana/web3.js";

export interface Candidate {
  provider: Keyed<Provider>;
  /** The provider's price per hour for the job's requirements, in lamports. */
  pricePerHour: bigint;
  /** What the job's whole duration costs at that price. */
  cost: bigint;
}

/** Whether `job` is paid in lamports: the dApp prices and assigns only those. */
export const isLamportJob = (job: Job) => job.paymentMint.equals(PublicKey.default);

/**
 * Whether `provider` could take `job` now: an open lamport job reserved for nobody else, not the client's own,
 * and the provider active (not retired) with the free capacity, a price within the job's maximum and the
 * reputation it asks for.
 */
export function canTake(job: Job, provider: Provider): boolean {
  const r = job.requirements;
  const target = job.targetProvider.equals(PublicKey.default) || job.targetProvider.equals(provider.authority);
  const filter = {
    active: true, minCores: r.cpuCores, minRamGb: r.ramGb, minStorageGb: r.storageGb, minGpus: r.gpus,
    maxPricePerHour: toBigInt(job.maxPricePerHour), minReputation: job.minReputation,
  };
  return job.status === JobStatus.Open && isLamportJob(job) && target && !provider.authority.equals(job.client) &&
    provider.retired === 0 && providerMatches(filter, provider);
}

/** The providers a job's client may assign it to (their policy lets clients assign them), cheapest first. */
export function clientCandidates(job: Job, providers: Keyed<Provider>[]): Candidate[] {
  return providers
    .filter((p) => (p.account.assignment & ASSIGN_BY_CLIENTS) !== 0 && canTake(job, p.account))
    .map((p) => {
      const pricePerHour = hourlyPrice(p.account.rates, job.requirements);
      return { provider: p, pricePerHour, cost: costFor(pricePerHour, job.durationSecs) };
    })
    .sort((a, b) => (a.pricePerHour < b.pricePerHour ? -1 : a.pricePerHour > b.pricePerHour ? 1 : 0));
}
