import { describe, expect, it } from "vitest";
import { costFor } from "@compute-market/client";
import { checkJob, checkProvider, type JobValues, type ProviderValues } from "./forms";

const provider: ProviderValues = {
  cores: "8", ramGb: "32", storageGb: "", gpus: "",
  perCore: "0.001", perGbRam: "0.0001", perGbStorage: "", perGpu: "",
  metadataUri: "http://127.0.0.1:8911",
};
const job: JobValues = { cores: "2", ramGb: "4", storageGb: "", gpus: "", hours: "1.5", maxPrice: "0.01", minReputation: "" };

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
      value: { requirements: { cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 0 }, durationSecs: 5400, maxPricePerHour: 10_000_000n, minReputation: 5000 },
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
