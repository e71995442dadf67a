// Sums of job amounts kept apart by currency (a lamport and a token base unit never add up), and their text.
import { sumByMint as sumPerMint, type Job, type Keyed, type MintAmount } from "@compute-market/client";
import { SOL, formatIn, isSol, type Currency } from "../lib/currency";

export type { MintAmount };

/** `amount` of each job summed per payment mint (the client's sums): SOL first (always there), then the others with anything to show. */
export function sumByMint(jobs: Keyed<Job>[], amount: (job: Job) => bigint): MintAmount[] {
  const sums = sumPerMint(jobs.map((j) => j.account), amount);
  const sol = sums.find((s) => isSol(s.mint)) ?? { mint: SOL.mint, amount: 0n };
  return [sol, ...sums.filter((s) => !isSol(s.mint) && s.amount !== 0n)];
}

/** Amounts in several currencies as one text ("0.5 SOL + 12 USDC"); "0 SOL" for none. */
export function formatAmounts(amounts: MintAmount[], currencyOf: (mint: string) => Currency): string {
  const shown = amounts.filter((a, i) => a.amount !== 0n || (i === 0 && amounts.every((b) => b.amount === 0n)));
  return shown.length === 0 ? formatIn(SOL, 0n) : shown.map((a) => formatIn(currencyOf(a.mint), a.amount)).join(" + ");
}
