// Decoded accounts, as the generated codecs (src/generated) return them: fields in camelCase, addresses as kit
// `Address` strings, u64/i64 as bigint, fixed byte arrays as Uint8Array. Each account keeps its 8-byte
// `discriminator`, `bump` and `reserved` bytes as the program lays them out.
import type { Address } from "@solana/kit";
import type { StoredUri } from "./generated/types";

export type {
  Bond, ClientProfile, Job, Market, MintQuote, PaymentMint, Pair, Provider, Vault,
} from "./generated/accounts";
export type { BondTerms, BondTermsArgs, GpuNeeds, GpuNeedsArgs, Hardware, HardwareArgs, Rates, RatesArgs, Resources, ResourcesArgs, StoredUri, TimeWindows, TimeWindowsArgs } from "./generated/types";
/** JobStatus, stored as its u8 discriminant in `Job.status`. */
export { JobStatus } from "./generated/types";

/** The all-zero address (the System Program's): what an unset address field holds, e.g. an open job's provider. */
export const DEFAULT_ADDRESS = "11111111111111111111111111111111" as Address;

/** An account with its address. */
export interface Keyed<T> {
  address: Address;
  account: T;
}

export function uriText(uri: StoredUri): string {
  return new TextDecoder().decode(uri.bytes.slice(0, uri.len));
}
