// Program-derived addresses, with the program's seeds. Kit derives them asynchronously (WebCrypto's sha256):
// each returns a promise; the ones an instruction takes a bump for return [address, bump].
import { address, getAddressEncoder, getProgramDerivedAddress, getU64Encoder, getUtf8Encoder, type Address, type ProgramDerivedAddress } from "@solana/kit";
import { PROGRAM_ID } from "./idl";

const text = (seed: string) => getUtf8Encoder().encode(seed);
const key = (value: Address) => getAddressEncoder().encode(value);

/** The upgradeable BPF loader, which owns the program's ProgramData account. */
export const BPF_LOADER_UPGRADEABLE = address("BPFLoaderUpgradeab1e11111111111111111111111");

const derive = (seeds: Parameters<typeof getProgramDerivedAddress>[0]["seeds"], programAddress: Address = PROGRAM_ID) =>
  getProgramDerivedAddress({ programAddress, seeds });
const first = async (pda: Promise<ProgramDerivedAddress>): Promise<Address> => (await pda)[0];

export function marketPda(): Promise<Address> {
  return first(derive([text("market")]));
}

export function providerPda(authority: Address): Promise<Address> {
  return first(derive([text("provider"), key(authority)]));
}

export function clientProfilePda(authority: Address): Promise<Address> {
  return first(derive([text("client"), key(authority)]));
}

/** A client's job `jobId` and its bump (post_job takes the bump). */
export function jobPda(client: Address, jobId: number | bigint): Promise<ProgramDerivedAddress> {
  return derive([text("job"), key(client), getU64Encoder().encode(BigInt(jobId))]);
}

export function vaultPda(job: Address): Promise<ProgramDerivedAddress> {
  return derive([text("vault"), key(job)]);
}

/** A token job's vault token account, holding its escrow, and its bump (post_job takes the bump). */
export function vaultTokensPda(job: Address): Promise<ProgramDerivedAddress> {
  return derive([text("vault_tokens"), key(job)]);
}

export function paymentMintPda(mint: Address): Promise<Address> {
  return first(derive([text("payment_mint"), key(mint)]));
}

export function quotePda(providerAuthority: Address, mint: Address): Promise<Address> {
  return first(derive([text("quote"), key(providerAuthority), key(mint)]));
}

/** A provider's bond (its authority) in `mint`: the default address (DEFAULT_ADDRESS) for a lamport bond. */
export function bondAddress(providerAuthority: Address, mint: Address): Promise<Address> {
  return first(derive([text("bond"), key(providerAuthority), key(mint)]));
}

/** The record of a provider (its authority) and a client that paid it for counted work. */
export function pairPda(providerAuthority: Address, client: Address): Promise<Address> {
  return first(derive([text("pair"), key(providerAuthority), key(client)]));
}

/** The program's data account under the upgradeable loader: it names the upgrade authority. */
export function programDataPda(): Promise<Address> {
  return first(derive([key(PROGRAM_ID)], BPF_LOADER_UPGRADEABLE));
}
