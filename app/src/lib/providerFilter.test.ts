import { describe, expect, it } from "vitest";
import { NO_FILTER, toFilter } from "./providerFilter";

const empty = NO_FILTER;

describe("provider filter", () => {
  it("turns the fields into a listProviders filter", () => {
    expect(toFilter(empty, false)).toEqual({ filter: { minCores: 0, minRamGb: 0, minStorageGb: 0, minGpus: 0, minReputation: 0 }, errors: {} });
    const { filter, errors } = toFilter({ ...empty, minCores: "8", minGpus: "1", maxPrice: "0.5", minReputation: "75.5" }, true);
    expect(errors).toEqual({});
    expect(filter).toEqual({ active: true, minCores: 8, minRamGb: 0, minStorageGb: 0, minGpus: 1, maxPricePerHour: 500_000_000n, minReputation: 7550 });
  });

  it("narrows by GPU memory and family only when asked", () => {
    const { filter, errors } = toFilter({ ...empty, minVramGb: "80", gpuFamily: "2" }, false);
    expect(errors).toEqual({});
    expect(filter).toMatchObject({ minVramGb: 80, gpuFamily: 2 });
    expect(toFilter({ ...empty, minVramGb: "0" }, false).filter).not.toHaveProperty("minVramGb");
    expect(toFilter({ ...empty, minVramGb: "big" }, false).errors).toEqual({ minVramGb: "VRAM: a whole number" });
  });

  it("says which fields are not values", () => {
    expect(toFilter({ ...empty, minRamGb: "lots", maxPrice: "-1", minReputation: "200" }, true).errors).toEqual({
      minRamGb: "RAM: a whole number",
      maxPrice: 'price: "-1" is not an amount of SOL',
      minReputation: "a percentage from 0 to 100",
    });
  });
});
