// Amounts, rates, times and addresses as people read them. Amounts are exact bigints of base units (lamports
// for SOL), written with their currency's decimals.

import { formatAmount } from "@compute-market/client";

export const LAMPORTS_PER_SOL = 1_000_000_000n;
/** Longest amount text the forms read (a u64 has 20 digits; decimals and a point fit in 40). */
export const MAX_AMOUNT_TEXT = 40;

/** Base units as a decimal number with `decimals` decimals, trailing zeros dropped (1_500_000n, 6 → "1.5"): the client's `formatAmount`. */
export function formatUnits(amount: bigint | number, decimals: number): string {
  return formatAmount(BigInt(amount), decimals);
}

/** Lamports as SOL with up to 9 decimals, trailing zeros dropped ("0.0125 SOL"). */
export function formatSol(amount: bigint | number, unit = " SOL"): string {
  return `${formatUnits(amount, 9)}${unit}`;
}

/**
 * An amount written by a person ("0.5", "12", ".25") in base units of a currency with `decimals` decimals;
 * throws saying why when it is not one (named by `what`, the currency by `symbol`).
 */
export function parseUnits(text: string, decimals: number, symbol: string, what = "amount"): bigint {
  const trimmed = text.trim();
  const match = trimmed.length <= MAX_AMOUNT_TEXT ? /^(\d*)(?:\.(\d*))?$/.exec(trimmed) : null;
  if (!match || trimmed === "" || trimmed === ".") throw new Error(`${what}: "${text.slice(0, MAX_AMOUNT_TEXT)}" is not an amount of ${symbol}`);
  const [, whole, fraction = ""] = match;
  if (fraction.length > decimals) {
    throw new Error(decimals === 0 ? `${what}: whole units only (${symbol} has no decimals)` : `${what}: at most ${decimals} decimals (1 base unit is ${formatUnits(1n, decimals)} ${symbol})`);
  }
  return BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
}

/** SOL written by a person as lamports. */
export function parseSol(text: string, what = "amount"): bigint {
  try {
    return parseUnits(text, 9, "SOL", what);
  } catch (e) {
    throw new Error((e as Error).message.replace("1 base unit is", "1 lamport is"));
  }
}

/** Basis points as a percentage ("97.5%"); "–" when there is nothing to rate. */
export function formatBps(bps: number | null): string {
  if (bps === null) return "–";
  return `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : bps % 10 === 0 ? 1 : 2)}%`;
}

/** Seconds as the largest units that say it ("1 h 30 min", "45 s"). */
export function formatDuration(secs: number): string {
  if (secs < 60) return `${secs} s`;
  const days = Math.floor(secs / 86_400);
  const hours = Math.floor((secs % 86_400) / 3600);
  const minutes = Math.floor((secs % 3600) / 60);
  const parts = [days && `${days} d`, hours && `${hours} h`, minutes && `${minutes} min`].filter(Boolean);
  return parts.join(" ") || `${secs} s`;
}

/** A unix timestamp (a number, an account's bigint or decimal text) as local date and time; "–" for 0 (never happened). */
export function formatTime(timestamp: number | bigint | string): string {
  const unix = Number(timestamp);
  return unix === 0 ? "–" : new Date(unix * 1000).toLocaleString();
}

export function shortAddress(key: string): string {
  const text = String(key);
  return `${text.slice(0, 4)}…${text.slice(-4)}`;
}
