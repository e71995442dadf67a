// The live estimate on the job form: what the escrow holds, and which providers could take the job now
// (active, enough free capacity, GPUs that suit the job's needs, priced within the maximum in the job's currency,
// reputable enough, with the minimum bond free in its currency, not the client's own). A token job is priced by
// providers' quotes in its mint.
import { ANY_GPU, bondRefusal, costFor, gpuRefusal, providerMatches, type Bond, type GpuNeeds, type Keyed, type MintQuote, type Provider } from "@compute-market/client";
import type { Address } from "@solana/kit";
import type { JobRequest } from "../lib/forms";
import { bondIn, priceFor } from "./assign";

export interface Estimate {
  /** Base units escrowed at posting: the maximum price for the whole duration. */
  escrow: bigint;
  /** Providers that fit the job right now. */
  fitting: number;
  /** The cheapest fitting provider's price per hour and what the job would cost there. */
  cheapest: { pricePerHour: bigint; cost: bigint } | null;
}

/** A job request with what each of its GPUs must be (any when not given) and its minimum bond (none when not given). */
export type GpuJobRequest = Omit<JobRequest, "minBond"> & { gpu?: GpuNeeds; minBond?: bigint };

/** The provider's price for the job in `mint`, when it could take it now (its bond among `bonds`); null otherwise. */
export function fittingPrice(
  request: GpuJobRequest, mint: string, provider: Provider, client: Address | null, quotes: Keyed<MintQuote>[], bonds: Keyed<Bond>[] = [],
): bigint | null {
  const r = request.requirements;
  if (client && provider.authority === client) return null;
  const filter = { active: true, minCores: r.cpuCores, minRamGb: r.ramGb, minStorageGb: r.storageGb, minGpus: r.gpus, minReputation: request.minReputation };
  if (!providerMatches(filter, provider) || gpuRefusal({ requirements: r, gpu: request.gpu ?? ANY_GPU }, provider)) return null;
  if (bondRefusal({ minBond: request.minBond ?? 0n }, bondIn(bonds, provider.authority, mint))) return null;
  const price = priceFor({ paymentMint: mint as Address, requirements: r }, provider, quotes);
  return price !== null && price <= request.maxPricePerHour ? price : null;
}

export function estimate(
  request: GpuJobRequest, mint: string, providers: Keyed<Provider>[], client: Address | null, quotes: Keyed<MintQuote>[], bonds: Keyed<Bond>[] = [],
): Estimate {
  const prices = providers
    .map((p) => fittingPrice(request, mint, p.account, client, quotes, bonds))
    .filter((price): price is bigint => price !== null)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    escrow: costFor(request.maxPricePerHour, request.durationSecs),
    fitting: prices.length,
    cheapest: prices.length > 0 ? { pricePerHour: prices[0], cost: costFor(prices[0], request.durationSecs) } : null,
  };
}
