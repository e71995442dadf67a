// Filters for listProviders and listJobs. What the layout allows goes to the node as memcmp filters
// (activity, parties, status); ranges (free capacity, price, reputation) are checked on the results.
import type { BN } from "@anchor-lang/core";
import { utils } from "@anchor-lang/core";
import type { GetProgramAccountsFilter, PublicKey } from "@solana/web3.js";
import { JOB_CLIENT_OFFSET, JOB_PROVIDER_OFFSET, JOB_STATUS_OFFSET, PROVIDER_ACTIVE_OFFSET } from "./idl";
import type { JobStatus, Provider, Resources } from "./types";
import { hourlyPrice } from "./analytics";

export interface ProviderFilter {
  active?: boolean;
  minCores?: number;
  minRamGb?: number;
  minStorageGb?: number;
  minGpus?: number;
  /** Highest price per hour, in lamports, for the minimums asked for. */
  maxPricePerHour?: bigint;
  minReputation?: number;
}

export interface JobFilter {
  client?: PublicKey;
  provider?: PublicKey;
  status?: JobStatus;
}

const memcmp = (offset: number, bytes: Uint8Array): GetProgramAccountsFilter => ({
  memcmp: { offset, bytes: utils.bytes.bs58.encode(Buffer.from(bytes)) },
});

export function providerMemcmp(filter: ProviderFilter): GetProgramAccountsFilter[] {
  return filter.active === undefined ? [] : [memcmp(PROVIDER_ACTIVE_OFFSET, Uint8Array.of(filter.active ? 1 : 0))];
}

export function wanted(filter: ProviderFilter): Resources {
  return { cpuCores: filter.minCores ?? 0, ramGb: filter.minRamGb ?? 0, storageGb: filter.minStorageGb ?? 0, gpus: filter.minGpus ?? 0 };
}

export function providerMatches(filter: ProviderFilter, p: Provider): boolean {
  const want = wanted(filter);
  const fits = want.cpuCores <= p.free.cpuCores && want.ramGb <= p.free.ramGb && want.storageGb <= p.free.storageGb && want.gpus <= p.free.gpus;
  const priceOk = filter.maxPricePerHour === undefined || hourlyPrice(p.rates, want) <= filter.maxPricePerHour;
  const activeOk = filter.active === undefined || (p.active !== 0) === filter.active;
  return fits && priceOk && activeOk && p.reputation >= (filter.minReputation ?? 0);
}

export function jobMemcmp(filter: JobFilter): GetProgramAccountsFilter[] {
  const filters: GetProgramAccountsFilter[] = [];
  if (filter.client) filters.push(memcmp(JOB_CLIENT_OFFSET, filter.client.toBytes()));
  if (filter.provider) filters.push(memcmp(JOB_PROVIDER_OFFSET, filter.provider.toBytes()));
  if (filter.status !== undefined) filters.push(memcmp(JOB_STATUS_OFFSET, Uint8Array.of(filter.status)));
  return filters;
}

export const toBigInt = (value: BN | number): bigint => BigInt(value.toString());
