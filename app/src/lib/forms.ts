// The provider and job forms: what people type, checked against the program's own rules before anything
// is signed. Each check returns the value or an error per field, worded for the form.
import { LIMITS, bondUnlocked, costFor, type Bond, type Rates, type Resources } from "@compute-market/client";
import { SOL, formatIn, isSol, parseIn, type Currency } from "./currency";
import { MAX_AMOUNT_TEXT, formatDuration } from "./format";

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

type RateField = (typeof RATES)[number]["field"];

/** Rates per unit-hour typed in `currency`, each refused by name when it is not an amount, exceeds the program's
 *  limit, or is zero for a resource of `capacity`. */
function checkRates<K extends string>(values: Record<RateField, string>, capacity: Resources, currency: Currency, errors: Errors<K | RateField>): Rates {
  const rates: Rates = { perCore: 0n, perGbRam: 0n, perGbStorage: 0n, perGpu: 0n };
  for (const { field, offered, label } of RATES) {
    try {
      const amount = values[field].trim() === "" ? 0n : parseIn(currency, values[field], label);
      if (capacity[offered] > 0 && amount === 0n) errors[field] = `${label}: above zero for a resource you offer`;
      if (amount > LIMITS.maxRatePerUnitHour) errors[field] = `${label}: at most ${formatIn(currency, LIMITS.maxRatePerUnitHour)} per hour`;
      rates[field] = amount;
    } catch (error) {
      errors[field] = (error as Error).message;
    }
  }
  return rates;
}

/** Capacity, rates (SOL per unit-hour) and metadata URI, as register_provider and update_provider accept them. */
export function checkProvider(values: ProviderValues): Checked<ProviderTerms, ProviderField> {
  const errors: Errors<ProviderField> = {};
  const capacity = resources(values, errors, "offer at least one resource");
  const rates = checkRates(values, capacity, SOL, errors);
  const uri = values.metadataUri.trim();
  if (uri === "") errors.metadataUri = "a metadata URI (where your agent serves results), e.g. http://host:8911";
  else if (byteLength(uri) > LIMITS.maxUriLen) errors.metadataUri = `at most ${LIMITS.maxUriLen} bytes`;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: { capacity, rates, metadataUri: uri } };
}

export type JobField = ResourceField | "hours" | "maxPrice" | "minReputation" | "minBond" | "spec";
export type JobValues = Record<Exclude<JobField, "spec">, string>;
export interface JobRequest {
  requirements: Resources;
  durationSecs: number;
  maxPricePerHour: bigint;
  /** Basis points of reputation (0..=10,000). */
  minReputation: number;
  /** Bond the provider must have free in the job's currency, in its base units; 0 for none. */
  minBond: bigint;
}

/** The largest u64: the most any amount the program stores may be. */
export const MAX_U64 = 18_446_744_073_709_551_615n;

/** An amount of `currency` typed in a field named `what`, blank meaning 0: parsed strictly, and at most a u64. */
function optionalAmount(text: string, currency: Currency, what: string): bigint {
  if (text.trim() === "") return 0n;
  const amount = parseIn(currency, text, what);
  if (amount > MAX_U64) throw new Error(`${what}: at most ${formatIn(currency, MAX_U64)}`);
  return amount;
}

export type QuoteField = RateField;
export type QuoteValues = Record<QuoteField, string>;

/** A provider's quote in a token: rates per unit-hour in `currency`, each above zero for what it offers (`capacity`). */
export function checkQuote(values: QuoteValues, capacity: Resources, currency: Currency): Checked<Rates, QuoteField> {
  const errors: Errors<QuoteField> = {};
  const rates = checkRates(values, capacity, currency, errors);
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: rates };
}

/**
 * Requirements, duration (hours, decimals allowed), maximum price per hour in the job's currency (SOL unless
 * given), minimum reputation (%) and minimum provider bond in the job's currency (blank: none).
 */
export function checkJob(values: JobValues, currency: Currency = SOL): Checked<JobRequest, JobField> {
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
    maxPricePerHour = parseIn(currency, values.maxPrice, "maximum price");
    if (maxPricePerHour === 0n) errors.maxPrice = "maximum price: above zero";
    else if (maxPricePerHour > LIMITS.maxPricePerHour) errors.maxPrice = `maximum price: at most ${formatIn(currency, LIMITS.maxPricePerHour)} per hour`;
    else if (durationSecs > 0 && costFor(maxPricePerHour, durationSecs) === 0n) {
      errors.maxPrice = `maximum price: too small to escrow ${isSol(currency.mint) ? "a lamport" : "one base unit"} for this duration`;
    }
  } catch (error) {
    errors.maxPrice = (error as Error).message;
  }
  let minReputation = 0;
  const percent = values.minReputation.trim() === "" ? 0 : Number(values.minReputation.trim());
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) errors.minReputation = "minimum reputation: a percentage from 0 to 100";
  else minReputation = Math.round(percent * 100);
  let minBond = 0n;
  try {
    minBond = optionalAmount(values.minBond, currency, "minimum bond");
  } catch (error) {
    errors.minBond = (error as Error).message;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: { requirements, durationSecs, maxPricePerHour, minReputation, minBond } };
}

/**
 * Hours to add to a job that runs `durationSecs` (decimals allowed: "0.25" is 15 minutes), as the seconds
 * extend_job takes: at least a second, and the new duration within MAX_JOB_DURATION_SECS.
 */
export function checkExtension(text: string, durationSecs: number): Checked<number, "addHours"> {
  const refused = (why: string): Checked<number, "addHours"> => ({ ok: false, errors: { addHours: `added time: ${why}` } });
  const trimmed = text.trim();
  const room = Math.max(0, LIMITS.maxJobDurationSecs - durationSecs);
  if (trimmed === "") return refused("a number of hours");
  if (trimmed.length > MAX_AMOUNT_TEXT) return refused(`at most ${MAX_AMOUNT_TEXT} characters`);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(trimmed)) return refused(`"${trimmed}" is not a number of hours`);
  const secs = Math.round(Number(trimmed) * 3600);
  if (secs === 0) return refused("above zero (at least a second)");
  if (secs > room) {
    const longest = `a job runs at most ${LIMITS.maxJobDurationSecs / 86_400} days`;
    return refused(room === 0 ? `none left (${longest})` : `at most ${formatDuration(room)} more (${longest})`);
  }
  return { ok: true, value: secs };
}

export type BondField = "bondAmount";

/**
 * An amount to deposit into a bond in `currency`: above zero (the program refuses a zero deposit,
 * InvalidBondAmount), within a u64 and, when the wallet's holding is known (`held`), no more than it.
 */
export function checkDeposit(text: string, currency: Currency, held: bigint | null = null): Checked<bigint, BondField> {
  const refused = (why: string): Checked<bigint, BondField> => ({ ok: false, errors: { bondAmount: why } });
  try {
    if (text.trim() === "") return refused("deposit: an amount");
    const amount = optionalAmount(text, currency, "deposit");
    if (amount === 0n) return refused("deposit: above zero");
    if (held !== null && amount > held) return refused(`deposit: you hold ${formatIn(currency, held)}`);
    return { ok: true, value: amount };
  } catch (error) {
    return refused((error as Error).message);
  }
}

/**
 * An amount of `bond` to ask to withdraw: above zero (a zero request cancels the pending one: its own button),
 * and at most what jobs in flight leave unlocked (the program refuses more, BondInUse).
 */
export function checkWithdrawalRequest(text: string, currency: Currency, bond: Pick<Bond, "held" | "locked"> | null): Checked<bigint, BondField> {
  const refused = (why: string): Checked<bigint, BondField> => ({ ok: false, errors: { bondAmount: why } });
  try {
    if (text.trim() === "") return refused("withdrawal: an amount");
    const amount = optionalAmount(text, currency, "withdrawal");
    if (amount === 0n) return refused("withdrawal: above zero");
    if (!bond) return refused(`withdrawal: you have no bond in ${currency.symbol}`);
    const unlocked = bondUnlocked(bond);
    if (amount > unlocked) return refused(`withdrawal: at most ${formatIn(currency, unlocked)} (jobs in flight lock the rest)`);
    return { ok: true, value: amount };
  } catch (error) {
    return refused((error as Error).message);
  }
}
