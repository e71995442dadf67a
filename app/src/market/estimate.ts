// The live estimate on the job form: what the escrow holds, and which providers could take the job now
// (active, enough free capacity, priced within the maximum, reputable enough, not the client's own).
import { costFor, hourlyPrice, providerMatches, type Keyed, type Provider } from "@compute-market/client";
import type { PublicKey } from "@solana/web3.js";
import type { JobRequest } from "../lib/forms";

export interface Estimate {
  /** Lamports escrowed at posting: the maximum price for the whole duration. */
  escrow: bigint;
  /** Providers that fit the job right now. */
  fitting: number;
  /** The cheapest fitting provider's price per hour and what the job would cost there. */
  cheapest: { pricePerHour: bigint; cost: bigint } | null;
}

/** Whether `provider` could take the job now: listProviders' own test with the job's terms, and not the client's own. */
export function fits(request: JobRequest, provider: Provider, client: PublicKey | null): boolean {
  const r = request.requirements;
  const filter = {
    active: true, minCores: r.cpuCores, minRamGb: r.ramGb, minStorageGb: r.storageGb, minGpus: r.gpus,
    maxPricePerHour: request.maxPricePerHour, minReputation: request.minReputation,
  };
  return !(client && provider.authority.equals(client)) && providerMatches(filter, provider);
}

export function estimate(request: JobRequest, providers: Keyed<Provider>[], client: PublicKey | null): Estimate {
  const prices = providers
    .filter((p) => fits(request, p.account, client))
    .map((p) => hourlyPrice(p.account.rates, request.requirements))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    escrow: costFor(request.maxPricePerHour, request.durationSecs),
    fitting: prices.length,
    cheapest: prices.length > 0 ? { pricePerHour: prices[0], cost: costFor(prices[0], request.durationSecs) } : null,
  };
}
