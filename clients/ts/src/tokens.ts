// Jobs paid in SPL tokens: the mints the market accepts, providers' quotes per mint, token balances, amounts
// written with a mint's decimals (exact, as bigint base units), and the token accounts a job's instructions take.
import { getAddressEncoder, getBase64Encoder, type Address } from "@solana/kit";
import { TOKEN_PROGRAM_ADDRESS, findAssociatedTokenPda, getTokenDecoder } from "@solana-program/token";
import { accountAt, accountOrNull, programAccounts } from "./accounts";
import { memcmp } from "./filters";
import {
  MINT_QUOTE_DISCRIMINATOR, PAYMENT_MINT_DISCRIMINATOR, getMintQuoteDecoder, getPaymentMintDecoder, getVaultDecoder,
} from "./generated/accounts";
import { bondAddress, paymentMintPda, vaultPda } from "./pda";
import type { MarketRpc } from "./send";
import { DEFAULT_ADDRESS, type Job, type Keyed, type MintQuote, type PaymentMint } from "./types";

/** Whether a job is paid in a token (a lamport job's payment mint is the default address, api.ts's LAMPORT_MINT). */
export const isTokenJob = (job: Pick<Job, "paymentMint">) => job.paymentMint !== DEFAULT_ADDRESS;

/** The associated token account of `owner` for `mint`. */
export async function associatedTokenAddress(owner: Address, mint: Address, tokenProgram: Address = TOKEN_PROGRAM_ADDRESS): Promise<Address> {
  return (await findAssociatedTokenPda({ owner, mint, tokenProgram }))[0];
}

/** Every mint the market has a record of (enabled or not), with its decimals and token program. */
export function listPaymentMints(rpc: MarketRpc): Promise<Keyed<PaymentMint>[]> {
  return programAccounts(rpc, PAYMENT_MINT_DISCRIMINATOR, getPaymentMintDecoder());
}

export function getPaymentMint(rpc: MarketRpc, mint: Address): Promise<PaymentMint | null> {
  return paymentMintPda(mint).then((address) => accountOrNull(rpc, address, getPaymentMintDecoder()));
}

/** A provider's quotes (its authority), one per mint it accepts, with its rates in the mint's base units. */
export function listMintQuotes(rpc: MarketRpc, providerAuthority: Address): Promise<Keyed<MintQuote>[]> {
  return programAccounts(rpc, MINT_QUOTE_DISCRIMINATOR, getMintQuoteDecoder(), [memcmp(8, getAddressEncoder().encode(providerAuthority))]);
}

const tokenAmount = (base64Data: string) => getTokenDecoder().decode(getBase64Encoder().encode(base64Data)).amount;

/** The base units a token account holds (0 when it does not exist). */
export async function tokenAccountBalance(rpc: MarketRpc, tokenAccount: Address): Promise<bigint> {
  const { value } = await rpc.getAccountInfo(tokenAccount, { commitment: "confirmed", encoding: "base64" }).send();
  return value ? tokenAmount(value.data[0]) : 0n;
}

/** What `owner` holds in `mint`, in base units, over all its token accounts of that mint. */
export async function tokenBalance(rpc: MarketRpc, owner: Address, mint: Address): Promise<bigint> {
  const { value } = await rpc.getTokenAccountsByOwner(owner, { mint }, { commitment: "confirmed", encoding: "base64" }).send();
  return value.reduce((sum, { account }) => sum + tokenAmount(account.data[0]), 0n);
}

/** `amount` base units written with `decimals` decimals, exactly: 1500000n, 6 → "1.5". */
export function formatAmount(amount: bigint, decimals: number): string {
  const sign = amount < 0n ? "-" : "";
  const digits = (amount < 0n ? -amount : amount).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** `text` ("1.5", "0.000001", "12") in base units of a mint with `decimals` decimals; more decimals than the mint has are refused. */
export function parseAmount(text: string, decimals: number): bigint {
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text.trim().replace(/_/g, ""));
  if (!match) throw new Error(`"${text}" is not an amount`);
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) throw new Error(`"${text}" has more than ${decimals} decimals`);
  return BigInt(match[1]) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
}

/** The token accounts of a token job's instructions; all absent (undefined) for a lamport job. */
export interface JobTokenAccounts {
  paymentMint?: Address;
  mint?: Address;
  vaultTokens?: Address;
  clientTokens?: Address;
  providerTokens?: Address;
  treasuryTokens?: Address;
  /** The provider's bond's token account in the job's mint, which a failed bonded job's slash leaves (settlements only). */
  bondTokens?: Address;
  tokenProgram?: Address;
}

/**
 * The token accounts for `job` (at `jobAddress`), found from the job itself: its mint's record and token
 * program, its vault's token account, and the associated token accounts of the client and, when `payees`
 * includes them, of the provider, the provider's bond and the treasury.
 */
export async function jobTokenAccounts(
  rpc: MarketRpc, jobAddress: Address, job: Job, payees: { treasury: Address } | "client",
): Promise<JobTokenAccounts> {
  if (!isTokenJob(job)) return {};
  const mint = job.paymentMint;
  const paymentMint = await paymentMintPda(mint);
  const record = await accountAt(rpc, paymentMint, getPaymentMintDecoder(), "payment mint");
  const vault = await accountAt(rpc, (await vaultPda(jobAddress))[0], getVaultDecoder(), "vault");
  const tokenProgram = record.tokenProgram;
  const ata = (owner: Address) => associatedTokenAddress(owner, mint, tokenProgram);
  return {
    paymentMint, mint, tokenProgram, vaultTokens: vault.tokens, clientTokens: await ata(job.client),
    ...(payees === "client" ? {} : {
      providerTokens: await ata(job.provider), treasuryTokens: await ata(payees.treasury), bondTokens: await ata(await bondAddress(job.provider, mint)),
    }),
  };
}
