//! The program's events, read from a transaction's log with the program's own types, and written out as
//! JSON for the database and the API.
//!
//! Anchor's `emit!` logs `Program data: <base64(discriminator ‖ borsh)>` through `sol_log_data`. Any program
//! can log such a line, so a line counts only while compute_market is the program executing (the top of the
//! invoke stack the runtime's `invoke [n]` / `success` / `failed` lines describe).

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;
use compute_market::events::*;
use compute_market::state::{BondTerms, GpuNeeds, Hardware, JobStatus, Rates, Resources, TimeWindows};
use serde_json::{json, Value};

/// One decoded event and where it sits in its transaction.
pub struct EventRecord {
    /// Index of the top-level instruction whose execution emitted it.
    pub instruction: u32,
    /// Position among the program's events in the transaction.
    pub seq: u32,
    pub event: ProgramEvent,
}

/// Why a log line that looked like the program's event was not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogProblem {
    NotBase64,
    UnknownDiscriminator,
    Malformed(&'static str),
    Truncated,
    UnbalancedInvokes,
}

impl std::fmt::Display for LogProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LogProblem::NotBase64 => write!(f, "program data that is not base64"),
            LogProblem::UnknownDiscriminator => write!(f, "program data with no known event discriminator"),
            LogProblem::Malformed(name) => write!(f, "a {name} event whose bytes do not decode"),
            LogProblem::Truncated => write!(f, "a log the node truncated"),
            LogProblem::UnbalancedInvokes => write!(f, "a log whose invoke and return lines do not pair up"),
        }
    }
}

macro_rules! program_events {
    ($($name:ident { $($field:ident),* $(,)? }),* $(,)?) => {
        /// Every event the program emits.
        pub enum ProgramEvent { $($name($name)),* }

        impl ProgramEvent {
            /// Every event's name, as the program declares it.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            /// Decodes `discriminator ‖ borsh` bytes.
            pub fn decode(bytes: &[u8]) -> Result<ProgramEvent, LogProblem> {
                $(
                    if let Some(mut body) = bytes.strip_prefix(<$name as Discriminator>::DISCRIMINATOR) {
                        let event = <$name as AnchorDeserialize>::deserialize(&mut body)
                            .map_err(|_| LogProblem::Malformed(stringify!($name)))?;
                        if !body.is_empty() {
                            return Err(LogProblem::Malformed(stringify!($name)));
                        }
                        return Ok(ProgramEvent::$name(event));
                    }
                )*
                Err(LogProblem::UnknownDiscriminator)
            }

            /// The event's name as the program declares it.
            pub fn name(&self) -> &'static str {
                match self { $(ProgramEvent::$name(_) => stringify!($name)),* }
            }

            /// Every field, by its name in the program.
            pub fn to_json(&self) -> Value {
                match self { $(ProgramEvent::$name(e) => json!({ $(stringify!($field): e.$field.to_json()),* })),* }
            }
        }
    };
}

program_events! {
    MarketInitialized { market, admin, treasury, fee_bps, matcher, windows, bonds, timestamp },
    MarketUpdated { admin, treasury, fee_bps, paused, matcher, windows, bonds, timestamp },
    AdminProposed { admin, pending_admin, timestamp },
    AdminTransferred { previous_admin, admin, timestamp },
    ProviderRegistered { provider, authority, capacity, rates, hardware, metadata_uri, assignment, reputation, timestamp },
    ProviderUpdated { provider, authority, capacity, free, rates, hardware, metadata_uri, assignment, timestamp },
    ProviderActivityChanged { provider, authority, active, timestamp },
    ProviderClosed { provider, authority, jobs_completed, total_earned, returned, reputation, timestamp },
    FeesCollected { provider, treasury, amount, timestamp },
    EarningsWithdrawn { provider, authority, amount, timestamp },
    ClientRegistered { client_profile, authority, timestamp },
    JobPosted {
        job, client, job_id, payment_mint, requirements, gpu, duration_secs, max_price_per_hour, escrow,
        min_reputation, target_provider, spec_hash, fee_bps, windows, min_bond, slash_bps, timestamp,
    },
    JobCancelled { job, client, job_id, payment_mint, refund, surplus, timestamp },
    JobAssigned {
        job, client, provider, assigned_by, payment_mint, agreed_price_per_hour, escrow, refund,
        start_deadline, timestamp,
    },
    JobReleased { job, client, provider, reason, escrow, max_price_per_hour, timestamp },
    JobStarted { job, client, provider, run_deadline, timestamp },
    JobExtended { job, client, provider, payment_mint, added_secs, duration_secs, added_escrow, escrow, run_deadline, timestamp },
    ResultSubmitted { job, client, provider, result_hash, review_deadline, timestamp },
    JobCompleted {
        job, client, provider, payment_mint, provider_payout, provider_payout_held, fee, refund, surplus,
        rating, auto_released, provider_reputation, timestamp,
    },
    JobDisputed { job, client, provider, from_status, escrow, dispute_deadline, timestamp },
    DisputeResolved {
        job, client, provider, arbiter, payment_mint, provider_bps, provider_payout, provider_payout_held, fee,
        refund, surplus, provider_reputation, bond_slashed, timestamp,
    },
    JobExpired {
        job, client, provider, payment_mint, reason, provider_payout, provider_payout_held, fee, refund,
        surplus, provider_reputation, bond_slashed, timestamp,
    },
    JobClosed { job, client, status, rent_returned, timestamp },
    PaymentMintAdded { payment_mint, mint, token_program, decimals, freeze_authority, reputation_lamports_per_token, timestamp },
    PaymentMintUpdated { payment_mint, mint, enabled, timestamp },
    MintQuoteAdded { quote, provider, mint, rates, timestamp },
    MintQuoteUpdated { quote, provider, mint, rates, timestamp },
    MintQuoteRemoved { quote, provider, mint, timestamp },
    BondDeposited { provider, mint, amount, held, timestamp },
    BondWithdrawalRequested { provider, mint, amount, withdraw_at, timestamp },
    BondWithdrawn { provider, mint, amount, held, timestamp },
}

/// JSON for the values events carry. Amounts stay exact: u64 is written as a number (JSON readers that
/// need exactness above 2^53 read the API's string fields instead).
pub trait ToJson {
    fn to_json(&self) -> Value;
}

macro_rules! plain_json {
    ($($t:ty),*) => { $(impl ToJson for $t { fn to_json(&self) -> Value { json!(self) } })* };
}
plain_json!(u8, u16, u32, u64, i64, bool, String);

impl ToJson for Pubkey {
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl ToJson for [u8; 32] {
    fn to_json(&self) -> Value {
        Value::String(self.iter().map(|b| format!("{b:02x}")).collect())
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

impl ToJson for Resources {
    fn to_json(&self) -> Value {
        json!({ "cpu_cores": self.cpu_cores, "ram_gb": self.ram_gb, "storage_gb": self.storage_gb, "gpus": self.gpus })
    }
}

impl ToJson for Rates {
    fn to_json(&self) -> Value {
        json!({
            "per_core": self.per_core, "per_gb_ram": self.per_gb_ram,
            "per_gb_storage": self.per_gb_storage, "per_gpu": self.per_gpu,
        })
    }
}

impl ToJson for Hardware {
    fn to_json(&self) -> Value {
        json!({ "gpu_model": self.gpu_model, "vram_gb": self.vram_gb, "cpu_arch": self.cpu_arch })
    }
}

impl ToJson for GpuNeeds {
    fn to_json(&self) -> Value {
        json!({ "models": self.models.iter().filter(|m| **m != 0).collect::<Vec<_>>(), "min_vram_gb": self.min_vram_gb, "family": self.family })
    }
}

impl ToJson for BondTerms {
    fn to_json(&self) -> Value {
        json!({ "cooldown_secs": self.cooldown_secs, "slash_bps": self.slash_bps })
    }
}

impl ToJson for TimeWindows {
    fn to_json(&self) -> Value {
        json!({
            "start_window_secs": self.start_window_secs, "review_window_secs": self.review_window_secs,
            "grace_secs": self.grace_secs, "dispute_window_secs": self.dispute_window_secs,
        })
    }
}

/// Lower-case names, as the API filters on them.
pub fn status_name(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Open => "open",
        JobStatus::Assigned => "assigned",
        JobStatus::Running => "running",
        JobStatus::Submitted => "submitted",
        JobStatus::Disputed => "disputed",
        JobStatus::Completed => "completed",
        JobStatus::Expired => "expired",
        JobStatus::Resolved => "resolved",
    }
}

impl ToJson for JobStatus {
    fn to_json(&self) -> Value {
        Value::String(status_name(*self).into())
    }
}

impl ToJson for ReleaseReason {
    fn to_json(&self) -> Value {
        Value::String(match self { ReleaseReason::Declined => "declined", ReleaseReason::TakenBack => "taken_back" }.into())
    }
}

impl ToJson for ExpiryReason {
    fn to_json(&self) -> Value {
        let name = match self {
            ExpiryReason::NotStarted => "not_started",
            ExpiryReason::NoResult => "no_result",
            ExpiryReason::DisputeUnresolved => "dispute_unresolved",
        };
        Value::String(name.into())
    }
}

/// The program's events in a successful transaction's log, and the lines that looked like events but were
/// not (each a reason to log). `program` is compute_market's address.
pub fn events_in_log(program: &Pubkey, log: &[String]) -> (Vec<EventRecord>, Vec<LogProblem>) {
    let program = program.to_string();
    let mut stack: Vec<&str> = Vec::new();
    let mut instruction: Option<u32> = None;
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for line in log {
        if line.starts_with("Log truncated") {
            problems.push(LogProblem::Truncated);
            break;
        }
        let Some(rest) = line.strip_prefix("Program ") else { continue };
        if let Some(data) = rest.strip_prefix("data: ") {
            if stack.last() != Some(&program.as_str()) {
                continue;
            }
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(data.trim())
                .map_err(|_| LogProblem::NotBase64)
                .and_then(|bytes| ProgramEvent::decode(&bytes));
            match decoded {
                Ok(event) => {
                    let seq = records.len() as u32;
                    records.push(EventRecord { instruction: instruction.unwrap_or(0), seq, event });
                }
                Err(problem) => problems.push(problem),
            }
            continue;
        }
        let mut words = rest.split(' ');
        let (Some(id), Some(verb)) = (words.next(), words.next()) else { continue };
        match verb {
            "invoke" => {
                if stack.is_empty() {
                    instruction = Some(instruction.map_or(0, |i| i + 1));
                }
                stack.push(id);
            }
            "success" | "failed" | "failed:" => {
                if stack.pop() != Some(id) {
                    problems.push(LogProblem::UnbalancedInvokes);
                    return (Vec::new(), problems);
                }
            }
            _ => {}
        }
    }
    (records, problems)
}

#[cfg(test)]
mod tests;
