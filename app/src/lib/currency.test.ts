import { LAMPORT_MINT, type Keyed, type PaymentMint } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { SOL, currencyList, currencyOf, formatIn, parseConfiguredMints, parseIn } from "./currency";

const USDC = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
const OTHER = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU";

const record = (mint: string, decimals: number, enabled = true): Keyed<PaymentMint> => ({
  address: "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T" as Address,
  account: { mint: mint as Address, decimals, enabled } as PaymentMint,
});

describe("currencies", () => {
  it("reads only well-formed mints from /config.json", () => {
    expect(parseConfiguredMints(undefined)).toEqual([]);
    expect(parseConfiguredMints([
      { address: USDC, symbol: "USDC", decimals: 6 },
      { address: USDC, symbol: "USDC2", decimals: 6 },
      { address: OTHER, symbol: "usdc", decimals: 6 },
      { address: OTHER, symbol: "SOL", decimals: 9 },
      { address: OTHER, symbol: "<img>", decimals: 2 },
      { address: OTHER, symbol: "BONK", decimals: 1.5 },
      { address: OTHER, symbol: "BONK", decimals: 20 },
      { address: "not-a-key", symbol: "X", decimals: 2 },
      { address: LAMPORT_MINT, symbol: "WSOL", decimals: 9 },
      null,
      { address: OTHER, symbol: "BONK", decimals: 5 },
    ])).toEqual([{ address: USDC, symbol: "USDC", decimals: 6 }, { address: OTHER, symbol: "BONK", decimals: 5 }]);
  });

  it("lists SOL and the market's mints, named by the config or by short address, with the chain's decimals", () => {
    const list = currencyList([record(OTHER, 2, false), record(USDC, 6)], [{ address: USDC, symbol: "USDC", decimals: 6 }]);
    expect(list).toEqual([
      SOL,
      { mint: OTHER, symbol: "7xKX…gAsU", decimals: 2, enabled: false },
      { mint: USDC, symbol: "USDC", decimals: 6, enabled: true },
    ]);
    expect(currencyOf(list, USDC).symbol).toBe("USDC");
    expect(currencyOf(list, LAMPORT_MINT)).toBe(SOL);
    expect(currencyOf(list, "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM")).toEqual({
      mint: "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM", symbol: "9WzD…AWWM base units", decimals: 0, enabled: false,
    });
  });

  it("writes and reads amounts exactly in the currency's decimals", () => {
    const usdc = { mint: USDC, symbol: "USDC", decimals: 6, enabled: true };
    expect(formatIn(usdc, 1_500_000n)).toBe("1.5 USDC");
    expect(formatIn(usdc, 1n)).toBe("0.000001 USDC");
    expect(formatIn(SOL, 500_000n)).toBe("0.0005 SOL");
    expect(parseIn(usdc, "0.25")).toBe(250_000n);
    expect(parseIn(usdc, "18446744073709.551615")).toBe(18_446_744_073_709_551_615n);
    expect(() => parseIn(usdc, "0.0000001", "maximum price")).toThrow("maximum price: at most 6 decimals (1 base unit is 0.000001 USDC)");
    expect(() => parseIn({ ...usdc, decimals: 0 }, "1.5")).toThrow("whole units only");
    expect(() => parseIn(usdc, "1".repeat(41))).toThrow("is not an amount of USDC");
    expect(() => parseIn(usdc, "-1")).toThrow('"-1" is not an amount of USDC');
  });
});
