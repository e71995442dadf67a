// Program-derived addresses, with the program's seeds.
import { PublicKey } from "@solana/web3.js";
import { BN } from "@anchor-lang/core";
import { PROGRAM_ID } from "./idl";

const seed = (text: string) => Buffer.from(text);

/** The upgradeable BPF loader, which owns the program's ProgramData account. */
export const BPF_LOADER_UPGRADEABLE = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");

export function marketPda(): PublicKey {
  return PublicKey.findProgramAddressSync([seed("market")], PROGRAM_ID)[0];
}

export function providerPda(authority: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("provider"), authority.toBuffer()], PROGRAM_ID)[0];
}

export function clientProfilePda(authority: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("client"), authority.toBuffer()], PROGRAM_ID)[0];
}

/** A client's job `jobId` and its bump (post_job takes the bump). */
export function jobPda(client: PublicKey, jobId: number | bigint | BN): [PublicKey, number] {
  const id = new BN(jobId.toString()).toArrayLike(Buffer, "le", 8);
  return PublicKey.findProgramAddressSync([seed("job"), client.toBuffer(), id], PROGRAM_ID);
}

export function vaultPda(job: PublicKey): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([seed("vault"), job.toBuffer()], PROGRAM_ID);
}

export function paymentMintPda(mint: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("payment_mint"), mint.toBuffer()], PROGRAM_ID)[0];
}

export function quotePda(providerAuthority: PublicKey, mint: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("quote"), providerAuthority.toBuffer(), mint.toBuffer()], PROGRAM_ID)[0];
}

/** The record of a provider (its authority) and a client that paid it for counted work. */
export function pairPda(providerAuthority: PublicKey, client: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("pair"), providerAuthority.toBuffer(), client.toBuffer()], PROGRAM_ID)[0];
}

/** The program's data account under the upgradeable loader: it names the upgrade authority. */
export function programDataPda(): PublicKey {
  return PublicKey.findProgramAddressSync([PROGRAM_ID.toBuffer()], BPF_LOADER_UPGRADEABLE)[0];
}
