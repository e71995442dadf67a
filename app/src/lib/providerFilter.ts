// The Providers screen's filter fields as a listProviders filter, with an error per field that is not a value.
import type { ProviderFilter } from "@compute-market/client";
import { parseSol } from "./format";
import { parseCount } from "./forms";

export type FilterField = "minCores" | "minRamGb" | "minStorageGb" | "minGpus" | "minVramGb" | "gpuFamily" | "maxPrice" | "minReputation";
export type FilterValues = Record<FilterField, string>;

const COUNTS: { field: "minCores" | "minRamGb" | "minStorageGb" | "minGpus"; label: string }[] = [
  { field: "minCores", label: "cores" },
  { field: "minRamGb", label: "RAM" },
  { field: "minStorageGb", label: "storage" },
  { field: "minGpus", label: "GPUs" },
];

/** Fields a filter starts with: nothing asked. */
export const NO_FILTER: FilterValues = { minCores: "", minRamGb: "", minStorageGb: "", minGpus: "", minVramGb: "", gpuFamily: "", maxPrice: "", minReputation: "" };

export function toFilter(values: FilterValues, activeOnly: boolean): { filter: ProviderFilter; errors: Partial<Record<FilterField, string>> } {
  const errors: Partial<Record<FilterField, string>> = {};
  const filter: ProviderFilter = activeOnly ? { active: true } : {};
  for (const { field, label } of COUNTS) {
    try {
      filter[field] = parseCount(values[field], label, Number.MAX_SAFE_INTEGER);
    } catch (e) {
      errors[field] = (e as Error).message;
    }
  }
  // GPU memory and family narrow only when asked for: a provider without GPUs has neither.
  try {
    const minVramGb = parseCount(values.minVramGb, "VRAM", Number.MAX_SAFE_INTEGER);
    if (minVramGb > 0) filter.minVramGb = minVramGb;
  } catch (e) {
    errors.minVramGb = (e as Error).message;
  }
  if (values.gpuFamily !== "") filter.gpuFamily = Number(values.gpuFamily);
  if (values.maxPrice.trim() !== "") {
    try {
      filter.maxPricePerHour = parseSol(values.maxPrice, "price");
    } catch (e) {
      errors.maxPrice = (e as Error).message;
    }
  }
  const reputation = Number(values.minReputation.trim() || "0");
  if (!Number.isFinite(reputation) || reputation < 0 || reputation > 100) errors.minReputation = "a percentage from 0 to 100";
  else filter.minReputation = Math.round(reputation * 100);
  return { filter, errors };
}
