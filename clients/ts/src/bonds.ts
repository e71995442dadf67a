// Provider bonds: value a provider puts at risk in one currency (lamports, or an accepted mint), locked by the
// bonded jobs it takes and partly slashed to the client when it fails one. Reading bonds (by provider, memcmp on
// the field at offset 8), the token accounts a token bond's instructions take, and the program's rules on bonds
// (clients/rust and programs/compute_market/src/state/bond.rs), so that a form or the client can refuse by name
// what the program would.
import { getAddressEncoder, type Address } from "@solana/kit";
import { ASSOCIATED_TOKEN_PROGRAM_ADDRESS } from "@solana-program/token";
import { programAccounts } from "./accounts";
import { MarketError, PROGRAM_ERRORS } from "./errors";
import { memcmp } from "./filters";
import { BOND_DISCRIMINATOR, getBondDecoder } from "./generated/accounts";
import { bondAddress, paymentMintPda } from "./pda";
import type { MarketRpc } from "./send";
import { associatedTokenAddress, getPaymentMint } from "./tokens";
import { DEFAULT_ADDRESS, type Bond, type Job, type Keyed } from "./types";

/** Where a Bond's `provider` (the provider's authority) sits, past the 8-byte discriminator. */
export const BOND_PROVIDER_OFFSET = 8;

/** Every bond of the program, or those of one provider (its authority): one per currency it deposited in. */
export function listBonds(rpc: MarketRpc, providerAuthority?: Address): Promise<Keyed<Bond>[]> {
  const filters = providerAuthority ? [memcmp(BOND_PROVIDER_OFFSET, getAddressEncoder().encode(providerAuthority))] : [];
  return programAccounts(rpc, BOND_DISCRIMINATOR, getBondDecoder(), filters);
}

/** Whether a bond is held in lamports (its mint the default address). */
export const isLamportBond = (bond: Pick<Bond, "mint">) => bond.mint === DEFAULT_ADDRESS;

/** What a job may lock now: held, less what jobs in flight lock and what is pending withdrawal. */
export const bondFree = (bond: Pick<Bond, "held" | "locked" | "pending">): bigint => {
  const free = bond.held - bond.locked - bond.pending;
  return free > 0n ? free : 0n;
};

/** What a withdrawal may be requested of: everything held that no job in flight locks. */
export const bondUnlocked = (bond: Pick<Bond, "held" | "locked">): bigint => {
  const unlocked = bond.held - bond.locked;
  return unlocked > 0n ? unlocked : 0n;
};

/** The part of a job's minimum bond slashed when its provider fails it: `slashBps` of it, rounded down. */
export const slashOf = (minBond: bigint, slashBps: number): bigint => (minBond * BigInt(slashBps)) / 10_000n;

/** Whether a job asks its provider for a bond. */
export const isBondedJob = (job: Pick<Job, "minBond">) => job.minBond > 0n;

/**
 * The error assign_job refuses a provider with for a bonded job, or null; a job asking for no bond suits every
 * provider. With no bond in the job's currency (`bond` null: no account at its address) the program answers
 * WrongBond; with one whose free part is below the job's minimum bond, BondTooSmall.
 */
export function bondRefusal(job: Pick<Job, "minBond">, bond: Pick<Bond, "held" | "locked" | "pending"> | null): "WrongBond" | "BondTooSmall" | null {
  if (!isBondedJob(job)) return null;
  if (!bond) return "WrongBond";
  return bondFree(bond) >= job.minBond ? null : "BondTooSmall";
}

/** The error deposit_bond refuses `amount` with (InvalidBondAmount: zero), or null. */
export const depositRefusal = (amount: bigint): "InvalidBondAmount" | null => (amount > 0n ? null : "InvalidBondAmount");

/** The error request_bond_withdrawal refuses `amount` with (BondInUse: more than jobs in flight leave unlocked), or null; 0 cancels a request. */
export function withdrawalRequestRefusal(bond: Pick<Bond, "held" | "locked">, amount: bigint): "BondInUse" | null {
  return amount <= bondUnlocked(bond) ? null : "BondInUse";
}

/** The error withdraw_bond refuses with at unix time `now` (NoBondWithdrawal, BondCoolingDown), or null once it may be taken. */
export function withdrawalRefusal(bond: Pick<Bond, "pending" | "withdrawAt">, now: number | bigint): "NoBondWithdrawal" | "BondCoolingDown" | null {
  if (bond.pending === 0n) return "NoBondWithdrawal";
  return BigInt(now) < bond.withdrawAt ? "BondCoolingDown" : null;
}

/** The program's error `name` as a MarketError, for what the client refuses before sending (its code and message from the IDL). */
export function refusedByProgram(name: string): MarketError {
  const found = [...PROGRAM_ERRORS].find(([, e]) => e.name === name);
  if (!found) throw new Error(`the program has no error ${name}`);
  const [code, { message }] = found;
  return new MarketError(code, name, message);
}

/** The token accounts of a token bond's instructions; all absent (undefined) for a lamport bond. */
export interface BondTokenAccounts {
  paymentMint?: Address;
  mint?: Address;
  bondTokens?: Address;
  providerTokens?: Address;
  tokenProgram?: Address;
  associatedTokenProgram?: Address;
}

/**
 * The token accounts of `providerAuthority`'s bond in `mint` (none for DEFAULT_ADDRESS, lamports): the bond's and
 * the provider's associated token accounts in the mint's token program. A deposit also passes the market's record
 * of the mint and the associated token program (it may create the bond's account); a withdrawal does not.
 */
export async function bondTokenAccounts(rpc: MarketRpc, providerAuthority: Address, mint: Address, deposit: boolean): Promise<BondTokenAccounts> {
  if (mint === DEFAULT_ADDRESS) return {};
  const record = await getPaymentMint(rpc, mint);
  if (!record) throw new Error(`the market has no record of ${mint} (no payment mint record)`);
  const tokenProgram = record.tokenProgram;
  return {
    mint, tokenProgram,
    bondTokens: await associatedTokenAddress(await bondAddress(providerAuthority, mint), mint, tokenProgram),
    providerTokens: await associatedTokenAddress(providerAuthority, mint, tokenProgram),
    ...(deposit ? { paymentMint: await paymentMintPda(mint), associatedTokenProgram: ASSOCIATED_TOKEN_PROGRAM_ADDRESS } : {}),
  };
}
