import { describe, expect, it } from "vitest";
import { costFor } from "@compute-market/client";
import { SOL } from "./currency";
import { MAX_U64, checkDeposit, checkJob, checkProvider, checkWithdrawalRequest, type JobValues, type ProviderValues } from "./forms";

const provider: ProviderValues = {
  cores: "8", ramGb: "32", storageGb: "", gpus: "",
  perCore: "0.001", perGbRam: "0.0001", perGbStorage: "", perGpu: "",
  metadataUri: "http://127.0.0.1:8911",
};
const job: JobValues = { cores: "2", ramGb: "4", storageGb: "", gpus: "", hours: "1.5", maxPrice: "0.01", minReputation: "", minBond: "" };
const USDC = { mint: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", symbol: "USDC", decimals: 6, enabled: true };

describe("provider form", () => {
  it("turns a valid offer into lamport rates", () => {
    const checked = checkProvider(provider);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.value.capacity).toEqual({ cpuCores: 8, ramGb: 32, storageGb: 0, gpus: 0 });
    expect(checked.value.rates.perCore.toString()).toBe("1000000");
    expect(checked.value.rates.perGbRam.toString()).toBe("100000");
    expect(checked.value.rates.perGpu.toString()).toBe("0");
  });

  it("refuses, by field, what the program would refuse", () => {
    const none = checkProvider({ ...provider, cores: "0", ramGb: "" });
    expect(none.ok || none.errors.cores).toBe("offer at least one resource");
    const unpriced = checkProvider({ ...provider, gpus: "1" });
    expect(unpriced.ok || unpriced.errors.perGpu).toBe("rate per GPU: above zero for a resource you offer");
    const bad = checkProvider({ ...provider, cores: "2.5", ramGb: "70000", perCore: "abc", metadataUri: "x".repeat(201) });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual({
      cores: "CPU cores: a whole number",
      ramGb: "RAM (GB): at most 65536",
      perCore: 'rate per core: "abc" is not an amount of SOL',
      metadataUri: "at most 200 bytes",
    });
    const noUri = checkProvider({ ...provider, metadataUri: " " });
    expect(noUri.ok || noUri.errors.metadataUri).toMatch("a metadata URI");
  });
});

describe("job form", () => {
  it("turns a valid request into requirements, seconds and lamports", () => {
    const checked = checkJob({ ...job, minReputation: "50" });
    expect(checked).toEqual({
      ok: true,
      value: { requirements: { cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 0 }, durationSecs: 5400, maxPricePerHour: 10_000_000n, minReputation: 5000, minBond: 0n },
    });
    expect(costFor(10_000_000n, 5400)).toBe(15_000_000n);
  });

  it("refuses durations, prices and reputations outside the program's bounds", () => {
    const bad = checkJob({ ...job, cores: "", ramGb: "", hours: "0.01", maxPrice: "0", minReputation: "101" });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual({
      cores: "ask for at least one resource",
      hours: "duration: between 1 minutes and 90 days",
      maxPrice: "maximum price: above zero",
      minReputation: "minimum reputation: a percentage from 0 to 100",
    });
    const dust = checkJob({ ...job, hours: "0.02", maxPrice: "0.000000001" });
    expect(dust.ok || dust.errors.maxPrice).toBe("maximum price: too small to escrow a lamport for this duration");
    const huge = checkJob({ ...job, maxPrice: "100001" });
    expect(huge.ok || huge.errors.maxPrice).toBe("maximum price: at most 100000 SOL per hour");
    const words = checkJob({ ...job, hours: "soon" });
    expect(words.ok || words.errors.hours).toBe("duration: a number of hours");
  });
});

describe("minimum bond on the job form", () => {
  it("is optional, and read exactly in the job's currency", () => {
    const none = checkJob(job);
    expect(none.ok && none.value.minBond).toBe(0n);
    const sol = checkJob({ ...job, minBond: " 0.500000001 " });
    expect(sol.ok && sol.value.minBond).toBe(500_000_001n);
    const usdc = checkJob({ ...job, maxPrice: "1", minBond: "12.5" }, USDC);
    expect(usdc.ok && usdc.value.minBond).toBe(12_500_000n);
    expect(checkJob({ ...job, minBond: "0" }).ok).toBe(true);
  });

  it("refuses by name what is not an amount of the currency or does not fit a u64", () => {
    const refused = (minBond: string, currency = SOL) => {
      const checked = checkJob({ ...job, maxPrice: "1", minBond }, currency);
      return checked.ok ? null : checked.errors.minBond;
    };
    expect(refused("-1")).toBe('minimum bond: "-1" is not an amount of SOL');
    expect(refused("1e9")).toBe('minimum bond: "1e9" is not an amount of SOL');
    expect(refused("0x10")).toBe('minimum bond: "0x10" is not an amount of SOL');
    expect(refused("1,5")).toBe('minimum bond: "1,5" is not an amount of SOL');
    expect(refused("Infinity")).toBe('minimum bond: "Infinity" is not an amount of SOL');
    expect(refused("0.0000001", USDC)).toBe("minimum bond: at most 6 decimals (1 base unit is 0.000001 USDC)");
    expect(refused("18446744073.709551616")).toBe("minimum bond: at most 18446744073.709551615 SOL");
    expect(refused("18446744073.709551615")).toBeNull();
    expect(refused("9".repeat(41))).toMatch(/^minimum bond: "9{40}" is not an amount of SOL$/);
  });
});

describe("bond amounts", () => {
  const bond = { held: 3_000_000_000n, locked: 1_000_000_000n };

  it("deposit: above zero (the program's InvalidBondAmount), strictly parsed, within what the wallet holds", () => {
    expect(checkDeposit("1.5", SOL)).toEqual({ ok: true, value: 1_500_000_000n });
    expect(checkDeposit("2", USDC, 2_000_000n)).toEqual({ ok: true, value: 2_000_000n });
    const why = (text: string, held: bigint | null = null) => {
      const checked = checkDeposit(text, SOL, held);
      return checked.ok ? null : checked.errors.bondAmount;
    };
    expect(why("")).toBe("deposit: an amount");
    expect(why("0")).toBe("deposit: above zero");
    expect(why("0.0")).toBe("deposit: above zero");
    expect(why("-0.1")).toBe('deposit: "-0.1" is not an amount of SOL');
    expect(why("1 SOL")).toBe('deposit: "1 SOL" is not an amount of SOL');
    expect(why("0.0000000001")).toBe("deposit: at most 9 decimals (1 base unit is 0.000000001 SOL)");
    expect(why("2", 1_999_999_999n)).toBe("deposit: you hold 1.999999999 SOL");
    expect(why(MAX_U64.toString())).toBe("deposit: at most 18446744073.709551615 SOL");
  });

  it("withdrawal request: above zero and at most what jobs in flight leave unlocked (the program's BondInUse)", () => {
    expect(checkWithdrawalRequest("2", SOL, bond)).toEqual({ ok: true, value: 2_000_000_000n });
    const why = (text: string, of: typeof bond | null = bond) => {
      const checked = checkWithdrawalRequest(text, SOL, of);
      return checked.ok ? null : checked.errors.bondAmount;
    };
    expect(why("2.000000001")).toBe("withdrawal: at most 2 SOL (jobs in flight lock the rest)");
    expect(why("0")).toBe("withdrawal: above zero");
    expect(why("")).toBe("withdrawal: an amount");
    expect(why("two")).toBe('withdrawal: "two" is not an amount of SOL');
    expect(why("1", null)).toBe("withdrawal: you have no bond in SOL");
  });
});
