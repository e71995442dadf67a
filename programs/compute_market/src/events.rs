//! One event per instruction, carrying what an indexer needs without reading accounts.

use anchor_lang::prelude::*;

use crate::settlement::Outcome;
use crate::state::{BondTerms, GpuNeeds, Hardware, Job, JobStatus, Rates, Resources, TimeWindows};

#[event]
pub struct MarketInitialized {
    pub market: Pubkey,
    pub admin: Pubkey,
    pub treasury: Pubkey,
    pub fee_bps: u16,
    pub matcher: Option<Pubkey>,
    pub windows: TimeWindows,
    pub bonds: BondTerms,
    pub timestamp: i64,
}

#[event]
pub struct MarketUpdated {
    pub admin: Pubkey,
    pub treasury: Pubkey,
    pub fee_bps: u16,
    pub paused: bool,
    pub matcher: Option<Pubkey>,
    pub windows: TimeWindows,
    pub bonds: BondTerms,
    pub timestamp: i64,
}

#[event]
pub struct AdminProposed {
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
    pub timestamp: i64,
}

#[event]
pub struct AdminTransferred {
    pub previous_admin: Pubkey,
    pub admin: Pubkey,
    pub timestamp: i64,
}

#[event]
pub struct ProviderRegistered {
    pub provider: Pubkey,
    pub authority: Pubkey,
    pub capacity: Resources,
    pub rates: Rates,
    pub hardware: Hardware,
    pub metadata_uri: String,
    /// ASSIGN_BY_CLIENTS and ASSIGN_BY_MATCHER flags.
    pub assignment: u8,
    /// Carried over from an earlier registration, or 5,000 for a new provider.
    pub reputation: u16,
    pub timestamp: i64,
}

#[event]
pub struct ProviderUpdated {
    pub provider: Pubkey,
    pub authority: Pubkey,
    pub capacity: Resources,
    pub free: Resources,
    pub rates: Rates,
    pub hardware: Hardware,
    pub metadata_uri: String,
    pub assignment: u8,
    pub timestamp: i64,
}

#[event]
pub struct ProviderActivityChanged {
    pub provider: Pubkey,
    pub authority: Pubkey,
    pub active: bool,
    pub timestamp: i64,
}

#[event]
pub struct ProviderClosed {
    pub provider: Pubkey,
    pub authority: Pubkey,
    pub jobs_completed: u64,
    pub total_earned: u64,
    /// Lamports paid to the authority: earnings owed and anything else beyond rent and fees owed.
    pub returned: u64,
    /// The record it keeps for a later registration.
    pub reputation: u16,
    pub timestamp: i64,
}

#[event]
pub struct FeesCollected {
    pub provider: Pubkey,
    pub treasury: Pubkey,
    pub amount: u64,
    pub timestamp: i64,
}

#[event]
pub struct EarningsWithdrawn {
    pub provider: Pubkey,
    pub authority: Pubkey,
    pub amount: u64,
    pub timestamp: i64,
}

#[event]
pub struct ClientRegistered {
    pub client_profile: Pubkey,
    pub authority: Pubkey,
    pub timestamp: i64,
}

#[event]
pub struct JobPosted {
    pub job: Pubkey,
    pub client: Pubkey,
    pub job_id: u64,
    pub payment_mint: Pubkey,
    pub requirements: Resources,
    pub gpu: GpuNeeds,
    pub duration_secs: u32,
    pub max_price_per_hour: u64,
    pub escrow: u64,
    pub min_reputation: u16,
    /// The bond its provider must have free, and the share of it slashed if the provider fails it.
    pub min_bond: u64,
    pub slash_bps: u16,
    pub target_provider: Option<Pubkey>,
    pub spec_hash: [u8; 32],
    /// The fee and windows the job keeps, whatever the market changes later.
    pub fee_bps: u16,
    pub windows: TimeWindows,
    pub timestamp: i64,
}

#[event]
pub struct JobCancelled {
    pub job: Pubkey,
    pub client: Pubkey,
    pub job_id: u64,
    pub payment_mint: Pubkey,
    pub refund: u64,
    /// Token base units beyond the escrow that the vault held (sent by anyone), also returned.
    pub surplus: u64,
    pub timestamp: i64,
}

#[event]
pub struct JobAssigned {
    pub job: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    /// Who signed: the client, the provider, or the matcher.
    pub assigned_by: Pubkey,
    pub payment_mint: Pubkey,
    pub agreed_price_per_hour: u64,
    pub escrow: u64,
    /// Escrow above agreed price x duration, returned to the client now (zero when its wallet could
    /// not hold it yet: it then returns at settlement).
    pub refund: u64,
    pub start_deadline: i64,
    pub timestamp: i64,
}

/// Why an assigned job went back to Open.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReleaseReason {
    /// Its provider declined it.
    Declined,
    /// Its client took it back after TAKE_BACK_AFTER_SECS without a start.
    TakenBack,
}

#[event]
pub struct JobReleased {
    pub job: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub reason: ReleaseReason,
    pub escrow: u64,
    /// The highest price the escrow still covers: the job's maximum from now on.
    pub max_price_per_hour: u64,
    pub timestamp: i64,
}

impl JobReleased {
    pub fn new(job_key: Pubkey, job: &Job, provider: Pubkey, reason: ReleaseReason, now: i64) -> Self {
        JobReleased {
            job: job_key,
            client: job.client,
            provider,
            reason,
            escrow: job.escrow,
            max_price_per_hour: job.max_price_per_hour,
            timestamp: now,
        }
    }
}

#[event]
pub struct JobStarted {
    pub job: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub run_deadline: i64,
    pub timestamp: i64,
}

/// The client added time to an assigned or running job.
#[event]
pub struct JobExtended {
    pub job: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub payment_mint: Pubkey,
    pub added_secs: u32,
    /// The job's duration now.
    pub duration_secs: u32,
    /// Escrowed for the added time, in lamports or the mint's base units.
    pub added_escrow: u64,
    pub escrow: u64,
    /// The moved run deadline of a running job; 0 for a job not started yet.
    pub run_deadline: i64,
    pub timestamp: i64,
}

#[event]
pub struct ResultSubmitted {
    pub job: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub result_hash: [u8; 32],
    pub review_deadline: i64,
    pub timestamp: i64,
}

#[event]
pub struct JobCompleted {
    pub job: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub payment_mint: Pubkey,
    pub provider_payout: u64,
    /// Lamports of the payout kept on the Provider account because the wallet could not hold them.
    pub provider_payout_held: u64,
    /// Set aside for the treasury (lamports: on the Provider account until collected).
    pub fee: u64,
    pub refund: u64,
    pub surplus: u64,
    /// Client's rating, if any.
    pub rating: Option<u8>,
    /// True when released by finalize_job after the review window rather than by the client.
    pub auto_released: bool,
    pub provider_reputation: u16,
    pub timestamp: i64,
}

impl JobCompleted {
    pub fn new(job_key: &Pubkey, job: &Job, outcome: &Outcome, rating: Option<u8>, auto_released: bool, now: i64) -> Self {
        JobCompleted {
            job: *job_key,
            client: job.client,
            provider: job.provider,
            payment_mint: job.payment_mint,
            provider_payout: outcome.settlement.provider,
            provider_payout_held: outcome.earnings_held,
            fee: outcome.settlement.fee,
            refund: outcome.settlement.refund,
            surplus: outcome.surplus,
            rating,
            auto_released,
            provider_reputation: outcome.provider_reputation,
            timestamp: now,
        }
    }
}

#[event]
pub struct JobDisputed {
    pub job: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    /// The state the dispute interrupted: Submitted.
    pub from_status: JobStatus,
    pub escrow: u64,
    pub dispute_deadline: i64,
    pub timestamp: i64,
}

#[event]
pub struct DisputeResolved {
    pub job: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub arbiter: Pubkey,
    pub payment_mint: Pubkey,
    pub provider_bps: u16,
    pub provider_payout: u64,
    pub provider_payout_held: u64,
    pub fee: u64,
    pub refund: u64,
    pub surplus: u64,
    pub provider_reputation: u16,
    /// Slashed from the provider's bond to the client: a bonded job the provider failed.
    pub bond_slashed: u64,
    pub timestamp: i64,
}

/// Why a job expired.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpiryReason {
    /// Assigned, but not started within the start window.
    NotStarted,
    /// Running past its deadline and grace with no result.
    NoResult,
    /// Disputed, and the arbiter did not rule within the dispute window: settled by the default split.
    DisputeUnresolved,
}

#[event]
pub struct JobExpired {
    pub job: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub payment_mint: Pubkey,
    pub reason: ExpiryReason,
    /// Zero unless a dispute settled by the default split.
    pub provider_payout: u64,
    pub provider_payout_held: u64,
    pub fee: u64,
    pub refund: u64,
    pub surplus: u64,
    pub provider_reputation: u16,
    /// Slashed from the provider's bond to the client: a bonded job the provider failed.
    pub bond_slashed: u64,
    pub timestamp: i64,
}

#[event]
pub struct JobClosed {
    pub job: Pubkey,
    pub client: Pubkey,
    pub status: JobStatus,
    pub rent_returned: u64,
    pub timestamp: i64,
}

#[event]
pub struct PaymentMintAdded {
    pub payment_mint: Pubkey,
    pub mint: Pubkey,
    pub token_program: Pubkey,
    pub decimals: u8,
    /// The freeze authority the admin acknowledged, if the mint has one.
    pub freeze_authority: Option<Pubkey>,
    pub reputation_lamports_per_token: u64,
    pub timestamp: i64,
}

#[event]
pub struct PaymentMintUpdated {
    pub payment_mint: Pubkey,
    pub mint: Pubkey,
    pub enabled: bool,
    pub timestamp: i64,
}

#[event]
pub struct MintQuoteAdded {
    pub quote: Pubkey,
    pub provider: Pubkey,
    pub mint: Pubkey,
    pub rates: Rates,
    pub timestamp: i64,
}

#[event]
pub struct MintQuoteUpdated {
    pub quote: Pubkey,
    pub provider: Pubkey,
    pub mint: Pubkey,
    pub rates: Rates,
    pub timestamp: i64,
}

#[event]
pub struct MintQuoteRemoved {
    pub quote: Pubkey,
    pub provider: Pubkey,
    pub mint: Pubkey,
    pub timestamp: i64,
}

#[event]
pub struct BondDeposited {
    /// The provider's authority.
    pub provider: Pubkey,
    /// The bond's currency: the default key for lamports.
    pub mint: Pubkey,
    pub amount: u64,
    /// The bond after the deposit (and any gift it counted).
    pub held: u64,
    pub timestamp: i64,
}

#[event]
pub struct BondWithdrawalRequested {
    pub provider: Pubkey,
    pub mint: Pubkey,
    /// Zero withdraws an earlier request.
    pub amount: u64,
    pub withdraw_at: i64,
    pub timestamp: i64,
}

#[event]
pub struct BondWithdrawn {
    pub provider: Pubkey,
    pub mint: Pubkey,
    pub amount: u64,
    pub held: u64,
    pub timestamp: i64,
}
