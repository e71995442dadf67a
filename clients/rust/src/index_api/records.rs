//! What the index API answers, one type per shape of docs/API.md. Addresses are base58 strings, times
//! Unix seconds of the chain's clock, amounts integers in their currency's base units (`mint` says which;
//! lamports have the default key as mint). Fields the contract may add later are ignored.

use serde::{Deserialize, Serialize};

/// The mint the index gives lamport jobs: the default key.
pub const LAMPORTS_MINT: &str = "11111111111111111111111111111111";

/// One page of a list, newest first unless said otherwise; `next_cursor` asks for the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    pub cpu_cores: u64,
    pub ram_gb: u64,
    pub storage_gb: u64,
    pub gpus: u64,
}

/// Lamports per unit-hour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rates {
    pub per_core: u64,
    pub per_gb_ram: u64,
    pub per_gb_storage: u64,
    pub per_gpu: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok`, `catching_up` or `error`.
    pub status: String,
    pub program: String,
    pub node_slot: u64,
    pub indexed_slot: u64,
    pub finalized_slot: u64,
    pub lag_slots: i64,
    pub caught_up_at: Option<i64>,
    pub seconds_since_caught_up: Option<i64>,
    pub transactions: u64,
    pub events: u64,
    pub last_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    pub authority: String,
    /// The Provider account (PDA).
    pub account: String,
    pub capacity: Resources,
    pub free: Resources,
    pub rates: Rates,
    pub metadata_uri: String,
    /// Who besides the provider may assign it jobs: the program's ASSIGN_BY_* flags.
    pub assignment: u8,
    pub active: bool,
    pub retired: bool,
    pub reputation: u64,
    pub jobs_assigned: u64,
    pub jobs_completed: u64,
    pub jobs_failed: u64,
    pub lamports_earned: u64,
    pub registered_at: i64,
    pub last_heartbeat_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub address: String,
    pub client: String,
    pub provider: Option<String>,
    pub job_id: u64,
    pub mint: String,
    /// `open`, `assigned`, `running`, `submitted`, `disputed`, `completed`, `expired`, `resolved`, `cancelled`.
    pub status: String,
    pub outcome: Option<String>,
    pub requirements: Resources,
    pub duration_secs: u64,
    pub max_price_per_hour: u64,
    pub agreed_price_per_hour: Option<u64>,
    pub escrow: u64,
    pub min_reputation: u64,
    /// The job's bond terms (in its currency) and what the provider's bond paid the client when it failed it
    /// (absent from indexers older than bonds: 0).
    #[serde(default)]
    pub min_bond: u64,
    #[serde(default)]
    pub slash_bps: u64,
    #[serde(default)]
    pub bond_slashed: u64,
    pub target_provider: Option<String>,
    /// Hex.
    pub spec_hash: String,
    pub fee_bps: u64,
    /// Includes a payout held on the provider's record.
    pub provider_payout: u64,
    pub fee: u64,
    /// Includes any token surplus returned.
    pub refund: u64,
    pub rating: Option<u8>,
    pub posted_at: i64,
    pub assigned_at: Option<i64>,
    pub started_at: Option<i64>,
    pub submitted_at: Option<i64>,
    pub settled_at: Option<i64>,
    pub closed: bool,
}

impl Job {
    pub fn is_lamport_job(&self) -> bool {
        self.mint == LAMPORTS_MINT
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: u64,
    pub signature: String,
    pub instruction: u64,
    pub slot: u64,
    pub block_time: i64,
    pub name: String,
    pub finalized: bool,
    /// Every field of the program's event by its name (keys base58, hashes hex, enums snake_case).
    pub data: serde_json::Value,
}

/// An amount in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    pub mint: String,
    pub amount: u64,
}

/// The market's activity in one currency: in one bucket (`bucket_start`) or over the range (totals).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketPoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_start: Option<i64>,
    pub mint: String,
    pub jobs_posted: u64,
    pub jobs_assigned: u64,
    pub jobs_completed: u64,
    pub jobs_failed: u64,
    pub jobs_cancelled: u64,
    pub jobs_disputed: u64,
    pub volume: u64,
    pub fees: u64,
    pub refunds: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderCounts {
    pub registered: u64,
    pub active: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketStats {
    pub bucket: String,
    pub from: i64,
    pub to: i64,
    /// One per currency.
    pub totals: Vec<MarketPoint>,
    /// One per bucket and currency that had activity.
    pub series: Vec<MarketPoint>,
    pub providers: ProviderCounts,
    pub clients: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderTotals {
    pub jobs_completed: u64,
    pub jobs_failed: u64,
    pub completion_rate_bps: Option<u64>,
    pub earnings: Vec<Amount>,
    pub busy_core_secs: u64,
    pub utilisation_bps: Option<u64>,
    pub uptime_bps: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderPoint {
    pub bucket_start: i64,
    pub jobs_completed: u64,
    pub jobs_failed: u64,
    pub completion_rate_bps: Option<u64>,
    pub earnings: Vec<Amount>,
    pub busy_core_secs: u64,
    pub utilisation_bps: Option<u64>,
    pub heartbeats: u64,
    pub up: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderStats {
    pub provider: Provider,
    pub bucket: String,
    pub from: i64,
    pub to: i64,
    pub totals: ProviderTotals,
    /// One per bucket of the range, empty ones included.
    pub series: Vec<ProviderPoint>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSummary {
    pub authority: String,
    pub profile: String,
    pub jobs_posted: u64,
    pub jobs_completed: u64,
    pub jobs_cancelled: u64,
    pub jobs_expired: u64,
    pub jobs_disputed: u64,
    pub lamports_spent: u64,
    pub registered_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientTotals {
    pub jobs_posted: u64,
    pub jobs_completed: u64,
    pub spent: Vec<Amount>,
    pub fees: Vec<Amount>,
    pub refunded: Vec<Amount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPoint {
    pub bucket_start: i64,
    pub jobs_posted: u64,
    pub jobs_completed: u64,
    pub spent: Vec<Amount>,
    pub fees: Vec<Amount>,
    pub refunded: Vec<Amount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientStats {
    pub client: ClientSummary,
    pub bucket: String,
    pub from: i64,
    pub to: i64,
    pub totals: ClientTotals,
    /// One per bucket of the range, empty ones included.
    pub series: Vec<ClientPoint>,
}
