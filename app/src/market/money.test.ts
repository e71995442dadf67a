import type { Job, Keyed } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { SOL, currencyOf } from "../lib/currency";
import { formatAmounts, sumByMint } from "./money";

const USDC = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
const job = (paymentMint: string, escrow: bigint) => ({ address: USDC as Address, account: { paymentMint, escrow } as Job }) as Keyed<Job>;
const currencies = [SOL, { mint: USDC, symbol: "USDC", decimals: 6, enabled: true }];

describe("amounts by currency", () => {
  it("never adds lamports to token base units", () => {
    const sums = sumByMint([job(SOL.mint, 500_000n), job(USDC, 1_500_000n), job(SOL.mint, 1n)], (j) => j.escrow);
    expect(sums).toEqual([{ mint: SOL.mint, amount: 500_001n }, { mint: USDC, amount: 1_500_000n }]);
    expect(formatAmounts(sums, (m) => currencyOf(currencies, m))).toBe("0.000500001 SOL + 1.5 USDC");
  });

  it("writes nothing held as 0 SOL, and only the currencies that hold something", () => {
    expect(formatAmounts(sumByMint([], (j) => j.escrow), (m) => currencyOf(currencies, m))).toBe("0 SOL");
    expect(formatAmounts(sumByMint([job(USDC, 2n)], (j) => j.escrow), (m) => currencyOf(currencies, m))).toBe("0.000002 USDC");
  });
});
