import { describe, expect, it } from "vitest";
import { toFilter } from "./providerFilter";

const empty = { minCores: "", minRamGb: "", minStorageGb: "", minGpus: "", maxPrice: "", minReputation: "" };

describe("provider filter", () => {
  it("turns the fields into a listProviders filter", () => {
    expect(toFilter(empty, false)).toEqual({ filter: { minCores: 0, minRamGb: 0, minStorageGb: 0, minGpus: 0, minReputation: 0 }, errors: {} });
    const { filter, errors } = toFilter({ ...empty, minCores: "8", minGpus: "1", maxPrice: "0.5", minReputation: "75.5" }, true);
    expect(errors).toEqual({});
    expect(filter).toEqual({ active: true, minCores: 8, minRamGb: 0, minStorageGb: 0, minGpus: 1, maxPricePerHour: 500_000_000n, minReputation: 7550 });
  });

  it("says which fields are not values", () => {
    expect(toFilter({ ...empty, minRamGb: "lots", maxPrice: "-1", minReputation: "200" }, true).errors).toEqual({
      minRamGb: "RAM: a whole number",
      maxPrice: 'price: "-1" is not an amount of SOL',
      minReputation: "a percentage from 0 to 100",
    });
  });
});
