// Filters for listProviders and listJobs. What the layout allows goes to the node as memcmp filters
// (activity, parties, status, mint); ranges (free capacity, price, reputation, GPU memory and family) are checked
// on the results.
import { getAddressEncoder, getBase58Decoder, type Address, type Base58EncodedBytes, type GetProgramAccountsMemcmpFilter, type ReadonlyUint8Array } from "@solana/kit";
import { JOB_CLIENT_OFFSET, JOB_PAYMENT_MINT_OFFSET, JOB_PROVIDER_OFFSET, JOB_STATUS_OFFSET, PROVIDER_ACTIVE_OFFSET } from "./idl";
import type { JobStatus, Provider, Resources } from "./types";
import { hourlyPrice } from "./analytics";
import { gpuFamilyOf } from "./gpus";

export interface ProviderFilter {
  active?: boolean;
  minCores?: number;
  minRamGb?: number;
  minStorageGb?: number;
  minGpus?: number;
  /** Highest price per hour, in lamports, for the minimums asked for. */
  maxPricePerHour?: bigint;
  minReputation?: number;
  /** Least GB of memory per GPU (a provider without GPUs has none). */
  minVramGb?: number;
  /** Only GPUs of this family (the high byte of a model id). */
  gpuFamily?: number;
}

export interface JobFilter {
  client?: Address;
  provider?: Address;
  status?: JobStatus;
  /** The job's payment mint; the default address (11111111111111111111111111111111) for lamport jobs. */
  paymentMint?: Address;
}

/** A memcmp filter for `bytes` at `offset` of an account's data (the 8-byte discriminator included). */
export const memcmp = (offset: number, bytes: ReadonlyUint8Array): GetProgramAccountsMemcmpFilter => ({
  memcmp: { offset: BigInt(offset), bytes: getBase58Decoder().decode(bytes) as Base58EncodedBytes, encoding: "base58" },
});

export function providerMemcmp(filter: ProviderFilter): GetProgramAccountsMemcmpFilter[] {
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
  const gpuOk = (!filter.minVramGb || p.vramGb >= filter.minVramGb) && (!filter.gpuFamily || gpuFamilyOf(p.gpuModel) === filter.gpuFamily);
  return fits && priceOk && activeOk && gpuOk && p.reputation >= (filter.minReputation ?? 0);
}

export function jobMemcmp(filter: JobFilter): GetProgramAccountsMemcmpFilter[] {
  const key = (value: Address) => getAddressEncoder().encode(value);
  const filters: GetProgramAccountsMemcmpFilter[] = [];
  if (filter.client) filters.push(memcmp(JOB_CLIENT_OFFSET, key(filter.client)));
  if (filter.provider) filters.push(memcmp(JOB_PROVIDER_OFFSET, key(filter.provider)));
  if (filter.paymentMint) filters.push(memcmp(JOB_PAYMENT_MINT_OFFSET, key(filter.paymentMint)));
  if (filter.status !== undefined) filters.push(memcmp(JOB_STATUS_OFFSET, Uint8Array.of(filter.status)));
  return filters;
}

/** A u64 or i64 field, or any integer, as a bigint. */
export const toBigInt = (value: bigint | number): bigint => BigInt(value);
