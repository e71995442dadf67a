// The provider and job forms: what people type, checked against the program's own rules before anything
// is signed. Each check returns the value or an error per field, worded for the form.
import { BN } from "@anchor-lang/core";
import { LIMITS, costFor, type Rates, type Resources } from "@compute-market/client";
import { parseSol } from "./format";

export type Errors<K extends string> = Partial<Record<K, string>>;
export type Checked<T, K extends string> = { ok: true; value: T } | { ok: false; errors: Errors<K> };

type ResourceField = "cores" | "ramGb" | "storageGb" | "gpus";
const RESOURCES: { field: ResourceField; key: keyof Resources; max: number; label: string }[] = [
  { field: "cores", key: "cpuCores", max: LIMITS.maxCpuCores, label: "CPU cores" },
  { field: "ramGb", key: "ramGb", max: LIMITS.maxRamGb, label: "RAM (GB)" },
  { field: "storageGb", key: "storageGb", max: LIMITS.maxStorageGb, label: "storage (GB)" },
  { field: "gpus", key: "gpus", max: LIMITS.maxGpus, label: "GPUs" },
];

/** A whole number in 0..=max, blank meaning 0. */
export function parseCount(text: string, label: string, max: number): number {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  if (!/^\d+$/.test(trimmed)) throw new Error(`${label}: a whole number`);
  const value = Number(trimmed);
  if (value > max) throw new Error(`${label}: at most ${max}`);
  return value;
}

function resources<K extends string>(values: Record<ResourceField, string>, errors: Errors<K | ResourceField>, noneOffered: string): Resources {
  const out: Resources = { cpuCores: 0, ramGb: 0, storageGb: 0, gpus: 0 };
  for (const { field, key, max, label } of RESOURCES) {
    try {
      out[key] = parseCount(values[field], label, max);
    } catch (error) {
      errors[field] = (error as Error).message;
    }
  }
  if (Object.values(out).every((v) => v === 0) && !RESOURCES.some(({ field }) => errors[field])) errors.cores = noneOffered;
  return out;
}

export type ProviderField = ResourceField | "perCore" | "perGbRam" | "perGbStorage" | "perGpu" | "metadataUri";
export type ProviderValues = Record<ProviderField, string>;
export interface ProviderTerms {
  capacity: Resources;
  rates: Rates;
  metadataUri: string;
}

const RATES: { field: "perCore" | "perGbRam" | "perGbStorage" | "perGpu"; offered: keyof Resources; label: string }[] = [
  { field: "perCore", offered: "cpuCores", label: "rate per core" },
  { field: "perGbRam", offered: "ramGb", label: "rate per GB of RAM" },
  { field: "perGbStorage", offered: "storageGb", label: "rate per GB of storage" },
  { field: "perGpu", offered: "gpus", label: "rate per GPU" },
];

/** Bytes of `text` in UTF-8, as the program measures URIs. */
export const byteLength = (text: string) => new TextEncoder().encode(text).length;

/** Capacity, rates (SOL per unit-hour) and metadata URI, as register_provider and update_provider accept them. */
export function checkProvider(values: ProviderValues): Checked<ProviderTerms, ProviderField> {
  const errors: Errors<ProviderField> = {};
  const capacity = resources(values, errors, "offer at least one resource");
  const rates = {} as Rates;
  for (const { field, offered, label } of RATES) {
    let lamports = 0n;
    try {
      lamports = values[field].trim() === "" ? 0n : parseSol(values[field], label);
      if (capacity[offered] > 0 && lamports === 0n) errors[field] = `${label}: above zero for a resource you offer`;
      if (lamports > LIMITS.maxRatePerUnitHour) errors[field] = `${label}: at most ${LIMITS.maxRatePerUnitHour / 1_000_000_000n} SOL per hour`;
    } catch (error) {
      errors[field] = (error as Error).message;
    }
    rates[field] = new BN(lamports.toString());
  }
  const uri = values.metadataUri.trim();
  if (uri === "") errors.metadataUri = "a metadata URI (where your agent serves results), e.g. http://host:8911";
  else if (byteLength(uri) > LIMITS.maxUriLen) errors.metadataUri = `at most ${LIMITS.maxUriLen} bytes`;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: { capacity, rates, metadataUri: uri } };
}

export type JobField = ResourceField | "hours" | "maxPrice" | "minReputation" | "spec";
export type JobValues = Record<Exclude<JobField, "spec">, string>;
export interface JobRequest {
  requirements: Resources;
  durationSecs: number;
  maxPricePerHour: bigint;
  /** Basis points of reputation (0..=10,000). */
  minReputation: number;
}

/** Requirements, duration (hours, decimals allowed), maximum price (SOL per hour) and minimum reputation (%). */
export function checkJob(values: JobValues): Checked<JobRequest, JobField> {
  const errors: Errors<JobField> = {};
  const requirements = resources(values, errors, "ask for at least one resource");
  let durationSecs = 0;
  const hours = Number(values.hours.trim());
  if (values.hours.trim() === "" || !Number.isFinite(hours)) errors.hours = "duration: a number of hours";
  else {
    durationSecs = Math.round(hours * 3600);
    if (durationSecs < LIMITS.minJobDurationSecs || durationSecs > LIMITS.maxJobDurationSecs) {
      errors.hours = `duration: between ${LIMITS.minJobDurationSecs / 60} minutes and ${LIMITS.maxJobDurationSecs / 86_400} days`;
    }
  }
  let maxPricePerHour = 0n;
  try {
    maxPricePerHour = parseSol(values.maxPrice, "maximum price");
    if (maxPricePerHour === 0n) errors.maxPrice = "maximum price: above zero";
    else if (maxPricePerHour > LIMITS.maxPricePerHour) errors.maxPrice = `maximum price: at most ${LIMITS.maxPricePerHour / 1_000_000_000n} SOL per hour`;
    else if (durationSecs > 0 && costFor(maxPricePerHour, durationSecs) === 0n) errors.maxPrice = "maximum price: too small to escrow a lamport for this duration";
  } catch (error) {
    errors.maxPrice = (error as Error).message;
  }
  let minReputation = 0;
  const percent = values.minReputation.trim() === "" ? 0 : Number(values.minReputation.trim());
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) errors.minReputation = "minimum reputation: a percentage from 0 to 100";
  else minReputation = Math.round(percent * 100);
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: { requirements, durationSecs, maxPricePerHour, minReputation } };
}
