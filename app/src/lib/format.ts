// Amounts, rates, times and addresses as people read them. Lamport amounts are exact bigints.
import type { PublicKey } from "@solana/web3.js";

export const LAMPORTS_PER_SOL = 1_000_000_000n;

/** An on-chain integer (a BN, a bigint or its text) as a bigint. */
const integer = (value: bigint | { toString(): string }): bigint => (typeof value === "bigint" ? value : BigInt(value.toString()));

/** Lamports (a bigint or an account's BN) as SOL with up to 9 decimals, trailing zeros dropped ("0.0125 SOL"). */
export function formatSol(amount: bigint | { toString(): string }, unit = " SOL"): string {
  const lamports = integer(amount);
  const negative = lamports < 0n;
  const abs = negative ? -lamports : lamports;
  const whole = abs / LAMPORTS_PER_SOL;
  const fraction = (abs % LAMPORTS_PER_SOL).toString().padStart(9, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}${unit}`;
}

/** SOL written by a person ("0.5", "12", ".25") as lamports; throws saying why when it is not an amount. */
export function parseSol(text: string, what = "amount"): bigint {
  const trimmed = text.trim();
  const match = /^(\d*)(?:\.(\d*))?$/.exec(trimmed);
  if (!match || trimmed === "" || trimmed === ".") throw new Error(`${what}: "${text}" is not an amount of SOL`);
  const [, whole, fraction = ""] = match;
  if (fraction.length > 9) throw new Error(`${what}: at most 9 decimals (1 lamport is 0.000000001 SOL)`);
  return BigInt(whole || "0") * LAMPORTS_PER_SOL + BigInt(fraction.padEnd(9, "0"));
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

/** A unix timestamp (a number or an account's BN) as local date and time; "–" for 0 (never happened). */
export function formatTime(timestamp: number | { toString(): string }): string {
  const unix = Number(timestamp.toString());
  return unix === 0 ? "–" : new Date(unix * 1000).toLocaleString();
}

export function shortAddress(key: PublicKey | string): string {
  const text = key.toString();
  return `${text.slice(0, 4)}…${text.slice(-4)}`;
}
