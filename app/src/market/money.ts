// Sums of job amounts kept apart by currency (a lamport and a token base unit never add up), and their text.
import type { Job, Keyed } from "@compute-market/client";
import { SOL, formatIn, isSol, type Currency } from "../lib/currency";

export interface MintAmount {
  mint: string;
  amount: bigint;
}

/** `amount` of each job summed per payment mint: SOL first (always there), then the others with anything to show. */
export function sumByMint(jobs: Keyed<Job>[], amount: (job: Job) => bigint): MintAmount[] {
  const sums = new Map<string, bigint>([[SOL.mint, 0n]]);
  for (const { account } of jobs) sums.set(account.paymentMint, (sums.get(account.paymentMint) ?? 0n) + amount(account));
  return [...sums].filter(([mint, sum]) => isSol(mint) || sum !== 0n).map(([mint, sum]) => ({ mint, amount: sum }));
}

/** Amounts in several currencies as one text ("0.5 SOL + 12 USDC"); "0 SOL" for none. */
export function formatAmounts(amounts: MintAmount[], currencyOf: (mint: string) => Currency): string {
  const shown = amounts.filter((a, i) => a.amount !== 0n || (i === 0 && amounts.every((b) => b.amount === 0n)));
  return shown.length === 0 ? formatIn(SOL, 0n) : shown.map((a) => formatIn(currencyOf(a.mint), a.amount)).join(" + ");
}
