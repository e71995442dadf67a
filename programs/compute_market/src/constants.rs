//! Seeds, limits and fixed account offsets. Every `#[constant]` reaches the IDL, so clients share one source.

use anchor_lang::prelude::*;

const LAMPORTS_PER_SOL: u64 = 1_000_000_000;

#[constant]
pub const MARKET_SEED: &[u8] = b"market";
#[constant]
pub const PROVIDER_SEED: &[u8] = b"provider";
#[constant]
pub const CLIENT_SEED: &[u8] = b"client";
#[constant]
pub const JOB_SEED: &[u8] = b"job";
#[constant]
pub const VAULT_SEED: &[u8] = b"vault";
/// Seed of a token job's vault token account, `["vault_tokens", job]`: a token account of the job's mint
/// held by the vault, created by `post_job`.
#[constant]
pub const VAULT_TOKENS_SEED: &[u8] = b"vault_tokens";
#[constant]
pub const PAYMENT_MINT_SEED: &[u8] = b"payment_mint";
#[constant]
pub const QUOTE_SEED: &[u8] = b"quote";
#[constant]
pub const PAIR_SEED: &[u8] = b"pair";
#[constant]
pub const BOND_SEED: &[u8] = b"bond";

/// Highest platform fee the admin may set: 10%.
#[constant]
pub const MAX_FEE_BPS: u16 = 1_000;
/// Basis points in one whole.
#[constant]
pub const BPS_DENOMINATOR: u16 = 10_000;
/// Reputation scores run from 0 to this value.
#[constant]
pub const MAX_REPUTATION: u16 = 10_000;
/// Longest metadata or spec URI, in bytes.
#[constant]
pub const MAX_URI_LEN: u32 = 200;

/// Resource ceilings, for a provider's offer and a job's requirements alike.
#[constant]
pub const MAX_CPU_CORES: u16 = 4_096;
#[constant]
pub const MAX_RAM_GB: u32 = 65_536;
#[constant]
pub const MAX_STORAGE_GB: u32 = 1_048_576;
#[constant]
pub const MAX_GPUS: u16 = 256;
/// Most GB of memory one GPU may declare or a job may ask for.
#[constant]
pub const MAX_VRAM_GB: u16 = 4_096;

/// A provider's CPU architecture (`Hardware::cpu_arch`).
#[constant]
pub const CPU_ARCH_UNKNOWN: u8 = 0;
#[constant]
pub const CPU_ARCH_X86_64: u8 = 1;
#[constant]
pub const CPU_ARCH_AARCH64: u8 = 2;

/// Highest hourly rate per unit of any resource: 1,000 SOL.
#[constant]
pub const MAX_RATE_PER_UNIT_HOUR: u64 = 1_000 * LAMPORTS_PER_SOL;
/// Highest price per hour a job may offer: 100,000 SOL.
#[constant]
pub const MAX_PRICE_PER_HOUR: u64 = 100_000 * LAMPORTS_PER_SOL;

#[constant]
pub const MIN_JOB_DURATION_SECS: u32 = 60;
/// 90 days.
#[constant]
pub const MAX_JOB_DURATION_SECS: u32 = 7_776_000;
/// Bounds of every market time window (start, review, grace, dispute).
#[constant]
pub const MIN_WINDOW_SECS: u32 = 60;
/// 30 days.
#[constant]
pub const MAX_WINDOW_SECS: u32 = 2_592_000;

#[constant]
pub const MIN_RATING: u8 = 1;
#[constant]
pub const MAX_RATING: u8 = 5;
/// An arbiter's award below this share counts as a dispute lost by the provider.
#[constant]
pub const DISPUTE_LOSS_BPS: u16 = 5_000;
/// A dispute nobody ruled on by its deadline settles with this share of the work's payment to the
/// provider and the rest of the escrow to the client; neither side's record changes.
#[constant]
pub const DEFAULT_DISPUTE_PROVIDER_BPS: u16 = 5_000;
/// How long after assignment a client may take back a job its provider has not started.
#[constant]
pub const TAKE_BACK_AFTER_SECS: u32 = 600;
/// Highest share of a job's minimum bond the market may slash when the provider fails the job: 50%.
#[constant]
pub const MAX_SLASH_BPS: u16 = 5_000;
/// Value that makes one unit of reputation weight: 0.01 SOL. Work worth less is not counted.
#[constant]
pub const REPUTATION_UNIT_LAMPORTS: u64 = LAMPORTS_PER_SOL / 100;

/// Provider assignment policy flags: who besides the provider itself may assign it a job.
/// A job's client, at the provider's published rates and capacity.
#[constant]
pub const ASSIGN_BY_CLIENTS: u8 = 1;
/// The market's matcher.
#[constant]
pub const ASSIGN_BY_MATCHER: u8 = 2;

/// Seconds in one hour: prices are per hour, durations in seconds.
pub const SECONDS_PER_HOUR: u64 = 3_600;

/// Byte offsets of filterable fields (after the 8-byte discriminator), for `getProgramAccounts` memcmp filters.
#[constant]
pub const JOB_CLIENT_OFFSET: u32 = 8;
#[constant]
pub const JOB_PROVIDER_OFFSET: u32 = 40;
#[constant]
pub const JOB_PAYMENT_MINT_OFFSET: u32 = 72;
#[constant]
pub const JOB_STATUS_OFFSET: u32 = 300;
#[constant]
pub const PROVIDER_AUTHORITY_OFFSET: u32 = 8;
#[constant]
pub const PROVIDER_ACTIVE_OFFSET: u32 = 166;
