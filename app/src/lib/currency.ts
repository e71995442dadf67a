// The currencies jobs are paid in: SOL (lamports) and the SPL mints the market accepts. Each has a symbol and
// decimals; every amount the dApp shows is written with its currency's decimals and named by its symbol (a
// mint the node's /config.json does not name goes by its short address).
import { LAMPORT_MINT, type Keyed, type PaymentMint } from "@compute-market/client";
import { isAddress } from "@solana/kit";
import { formatUnits, parseUnits, shortAddress } from "./format";

export interface Currency {
  /** The payment mint: LAMPORT_MINT (the default address) for SOL. */
  mint: string;
  symbol: string;
  decimals: number;
  /** Whether new jobs may be posted in it (a mint the market stopped accepting still settles its jobs). */
  enabled: boolean;
}

/** A mint as the node's /config.json names it. */
export interface ConfiguredMint {
  address: string;
  symbol: string;
  decimals: number;
}

export const SOL: Currency = { mint: LAMPORT_MINT, symbol: "SOL", decimals: 9, enabled: true };
/** At most this many mints are read from /config.json. */
export const MAX_CONFIGURED_MINTS = 32;
const SYMBOL = /^[A-Za-z0-9$._-]{1,12}$/;

export const isSol = (mint: string) => mint === LAMPORT_MINT;

/**
 * The `mints` of a served /config.json, each checked: a base58 address of 32 bytes, a symbol of 1 to 12
 * letters, digits or `$._-` (not "SOL", and not one already taken), and decimals 0 to 19 (a u64 has 20 digits).
 * Anything else is left out, so that a damaged config cannot mislabel an amount.
 */
export function parseConfiguredMints(value: unknown): ConfiguredMint[] {
  if (!Array.isArray(value)) return [];
  const out: ConfiguredMint[] = [];
  for (const item of value.slice(0, MAX_CONFIGURED_MINTS)) {
    const { address, symbol, decimals } = (item ?? {}) as Record<string, unknown>;
    if (typeof address !== "string" || !isAddress(address) || isSol(address)) continue;
    if (typeof symbol !== "string" || !SYMBOL.test(symbol) || symbol.toUpperCase() === "SOL") continue;
    if (typeof decimals !== "number" || !Number.isInteger(decimals) || decimals < 0 || decimals > 19) continue;
    if (out.some((m) => m.address === address || m.symbol.toUpperCase() === symbol.toUpperCase())) continue;
    out.push({ address, symbol, decimals });
  }
  return out;
}

/**
 * The currencies of the market: SOL, then every mint it has a record of (the program's PaymentMint accounts,
 * which carry the mint's decimals), named by /config.json when it lists them, else by short address. A mint
 * the config lists but the market does not accept is not a currency: jobs could not be posted in it.
 */
export function currencyList(records: Keyed<PaymentMint>[], configured: ConfiguredMint[]): Currency[] {
  const tokens = records.map(({ account }): Currency => {
    const named = configured.find((m) => m.address === account.mint);
    return { mint: account.mint, symbol: named?.symbol ?? shortAddress(account.mint), decimals: account.decimals, enabled: account.enabled };
  });
  tokens.sort((a, b) => a.symbol.localeCompare(b.symbol));
  return [SOL, ...tokens];
}

/** The currency of `mint` among `list`; a mint the market has no record of shows in base units, by short address. */
export function currencyOf(list: Currency[], mint: string): Currency {
  return list.find((c) => c.mint === mint) ?? (isSol(mint) ? SOL : { mint, symbol: `${shortAddress(mint)} base units`, decimals: 0, enabled: false });
}

/** An amount of base units in `currency`, with its symbol ("1.5 USDC", "0.0125 SOL"). */
export function formatIn(currency: Currency, amount: bigint | number): string {
  return `${formatUnits(amount, currency.decimals)} ${currency.symbol}`;
}

/** An amount typed in `currency` as base units; throws naming the field (`what`) when it is not one. */
export function parseIn(currency: Currency, text: string, what = "amount"): bigint {
  return parseUnits(text, currency.decimals, currency.symbol, what);
}
