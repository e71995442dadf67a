// The committed IDL (idl/compute_market.json at the repository root) and the constants it exports.
import { address, type Address } from "@solana/kit";
import idlJson from "../idl/compute_market.json";
import { COMPUTE_MARKET_PROGRAM_ADDRESS } from "./generated/programs";

/** The IDL as JSON (Anchor's format); the typed client is generated from it (src/generated). */
export const IDL = idlJson;
export const PROGRAM_ID: Address<typeof COMPUTE_MARKET_PROGRAM_ADDRESS> = COMPUTE_MARKET_PROGRAM_ADDRESS;
if (PROGRAM_ID !== address(idlJson.address)) throw new Error("src/generated is not generated from this IDL (npm run generate)");

function constantText(name: string): string {
  const found = idlJson.constants.find((c) => c.name === name);
  if (!found) throw new Error(`the IDL has no constant ${name}`);
  return found.value;
}
const constant = (name: string): number => Number(constantText(name));

export const JOB_CLIENT_OFFSET = constant("JOB_CLIENT_OFFSET");
export const JOB_PROVIDER_OFFSET = constant("JOB_PROVIDER_OFFSET");
export const JOB_PAYMENT_MINT_OFFSET = constant("JOB_PAYMENT_MINT_OFFSET");
export const JOB_STATUS_OFFSET = constant("JOB_STATUS_OFFSET");
export const PROVIDER_ACTIVE_OFFSET = constant("PROVIDER_ACTIVE_OFFSET");
export const PROVIDER_AUTHORITY_OFFSET = constant("PROVIDER_AUTHORITY_OFFSET");

/** Provider assignment policy flags: who besides the provider itself may assign it a job. */
export const ASSIGN_BY_CLIENTS = constant("ASSIGN_BY_CLIENTS");
export const ASSIGN_BY_MATCHER = constant("ASSIGN_BY_MATCHER");
/** Seconds after assignment from which a client may take back a job its provider has not started. */
export const TAKE_BACK_AFTER_SECS = constant("TAKE_BACK_AFTER_SECS");
/** A dispute nobody ruled on by its deadline settles with this share (basis points) of the work's pay to the provider. */
export const DEFAULT_DISPUTE_PROVIDER_BPS = constant("DEFAULT_DISPUTE_PROVIDER_BPS");
/** A resolve_dispute giving the provider less than this share (basis points) is a dispute it lost: a bonded job's slash leaves its bond. */
export const DISPUTE_LOSS_BPS = constant("DISPUTE_LOSS_BPS");
/** Highest share (basis points) of a job's minimum bond the market may slash when its provider fails it. */
export const MAX_SLASH_BPS = constant("MAX_SLASH_BPS");
/** Shortest and longest time window (and bond withdrawal cool-down) the market may set, in seconds. */
export const MIN_WINDOW_SECS = constant("MIN_WINDOW_SECS");
export const MAX_WINDOW_SECS = constant("MAX_WINDOW_SECS");
/** Value that weighs one unit of reputation, in lamports: work worth less does not count. */
export const REPUTATION_UNIT_LAMPORTS = constant("REPUTATION_UNIT_LAMPORTS");

/** The CPU architectures a provider may declare (`Hardware.cpuArch`). */
export const CPU_ARCH = {
  unknown: constant("CPU_ARCH_UNKNOWN"),
  x86_64: constant("CPU_ARCH_X86_64"),
  aarch64: constant("CPU_ARCH_AARCH64"),
} as const;

/** The program's bounds on what forms may ask for (the IDL's constants). */
export const LIMITS = {
  maxUriLen: constant("MAX_URI_LEN"),
  maxCpuCores: constant("MAX_CPU_CORES"),
  maxRamGb: constant("MAX_RAM_GB"),
  maxStorageGb: constant("MAX_STORAGE_GB"),
  maxGpus: constant("MAX_GPUS"),
  maxVramGb: constant("MAX_VRAM_GB"),
  minJobDurationSecs: constant("MIN_JOB_DURATION_SECS"),
  maxJobDurationSecs: constant("MAX_JOB_DURATION_SECS"),
  maxPricePerHour: BigInt(constantText("MAX_PRICE_PER_HOUR")),
  maxRatePerUnitHour: BigInt(constantText("MAX_RATE_PER_UNIT_HOUR")),
  maxReputation: constant("MAX_REPUTATION"),
  minRating: constant("MIN_RATING"),
  maxRating: constant("MAX_RATING"),
} as const;
