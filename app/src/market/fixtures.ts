// Canned answers of the index's API (docs/API.md) for the tests.
import { getAddressDecoder, type Address } from "@solana/kit";
export const PROVIDER_KEY = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU";
export const CLIENT_KEY = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";
export const JOB_KEY = "HN7cABqLq46Es1jh92dQQisAq662SmxELLLsHHe4YWrH";
export const ACCOUNT_KEY = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";
const ZERO = "11111111111111111111111111111111";

export const PROVIDER = {
  authority: PROVIDER_KEY, account: ACCOUNT_KEY,
  capacity: { cpu_cores: 8, ram_gb: 32, storage_gb: 100, gpus: 0 }, free: { cpu_cores: 6, ram_gb: 28, storage_gb: 100, gpus: 0 },
  rates: { per_core: 1_000_000, per_gb_ram: 1_000, per_gb_storage: 0, per_gpu: 0 }, metadata_uri: "http://127.0.0.1:7000",
  assignment: 3, active: true, retired: false, reputation: 7500, jobs_assigned: 3, jobs_completed: 2, jobs_failed: 1,
  lamports_earned: 1_900_000, registered_at: 1_700_000_000, last_heartbeat_at: 1_700_003_600,
};

export const JOB = {
  address: JOB_KEY, client: CLIENT_KEY, provider: PROVIDER_KEY, job_id: 0, mint: ZERO, status: "assigned", outcome: null,
  requirements: { cpu_cores: 2, ram_gb: 4, storage_gb: 0, gpus: 0 }, duration_secs: 3_600, max_price_per_hour: 10_000_000,
  agreed_price_per_hour: 2_004_000, escrow: 2_004_000, min_reputation: 0, min_bond: 500_000_000, slash_bps: 2_500,
  bond_slashed: 0, target_provider: null,
  spec_hash: "ab".repeat(32), fee_bps: 250, provider_payout: 0, fee: 0, refund: 7_996_000, rating: null,
  posted_at: 1_700_000_100, assigned_at: 1_700_000_110, started_at: null, submitted_at: null, settled_at: null, closed: false,
};

const DAY = 86_400;
/** A 30-day range ending on the day of `now`. */
export function range(now: number) {
  const from = Math.floor(now / DAY) * DAY - 29 * DAY;
  return { from, to: now, days: Array.from({ length: 30 }, (_, i) => from + i * DAY) };
}

export function providerStats(now: number) {
  const { from, to, days } = range(now);
  const lamports = (amount: number) => [{ mint: ZERO, amount }];
  return {
    provider: PROVIDER, bucket: "day", from, to,
    totals: { jobs_completed: 3, jobs_failed: 1, completion_rate_bps: 7500, earnings: [...lamports(1_900_000), { mint: ACCOUNT_KEY, amount: 42 }], busy_core_secs: 7_200, utilisation_bps: 125, uptime_bps: 9_000 },
    series: days.map((start, i) => ({
      bucket_start: start,
      jobs_completed: i === 28 ? 2 : i === 29 ? 1 : 0,
      jobs_failed: i === 29 ? 1 : 0,
      completion_rate_bps: i === 28 ? 10_000 : i === 29 ? 5_000 : null,
      earnings: i === 28 ? lamports(1_500_000) : i === 29 ? lamports(400_000) : [],
      busy_core_secs: i >= 28 ? 3_600 : 0,
      utilisation_bps: i >= 28 ? 52 : 0,
      heartbeats: i >= 27 ? 12 : 0,
      up: i >= 27,
    })),
  };
}

export function clientStats(now: number) {
  const { from, to, days } = range(now);
  const lamports = (amount: number) => (amount ? [{ mint: ZERO, amount }] : []);
  return {
    client: { authority: PROVIDER_KEY, profile: ACCOUNT_KEY, jobs_posted: 4, jobs_completed: 1, jobs_cancelled: 1, jobs_expired: 0, jobs_disputed: 0, lamports_spent: 300_000, registered_at: 1_700_000_000 },
    bucket: "day", from, to,
    totals: { jobs_posted: 4, jobs_completed: 1, spent: lamports(300_000), fees: lamports(7_500), refunded: lamports(9_700_000) },
    series: days.map((start, i) => ({
      bucket_start: start, jobs_posted: i === 29 ? 4 : 0, jobs_completed: i === 29 ? 1 : 0,
      spent: lamports(i === 29 ? 300_000 : 0), fees: lamports(i === 29 ? 7_500 : 0), refunded: lamports(i === 29 ? 9_700_000 : 0),
    })),
  };
}

/** A random address, for accounts the tests make up. */
export function randomAddress(): Address {
  return getAddressDecoder().decode(crypto.getRandomValues(new Uint8Array(32)));
}
