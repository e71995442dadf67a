//! A job: requirements, price, escrow and its place in the lifecycle.

use anchor_lang::prelude::*;

use crate::constants::MAX_URI_LEN;
use crate::state::Resources;

/// Where a job is in its lifecycle. Final states: Completed, Expired, Resolved
/// (a cancelled job is closed at once).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum JobStatus {
    /// Posted, escrow held, waiting for a provider.
    Open,
    /// A provider holds it; it must start within the start window.
    Assigned,
    /// Started; the result is due by the run deadline plus grace.
    Running,
    /// Result submitted; the client reviews until the review deadline.
    Submitted,
    /// The client disputes; the admin arbitrates until the dispute deadline.
    Disputed,
    /// Paid out by the client or automatically after review.
    Completed,
    /// Refunded because a deadline passed.
    Expired,
    /// Settled by the arbiter's split.
    Resolved,
}

impl JobStatus {
    pub fn is_final(&self) -> bool {
        matches!(self, JobStatus::Completed | JobStatus::Expired | JobStatus::Resolved)
    }
}

/// Seeds `["job", client, job_id as u64 little-endian]`. `client`, `provider`, `status` and
/// `payment_mint` sit at the fixed offsets in `constants` for memcmp filters.
#[account]
#[derive(InitSpace)]
pub struct Job {
    pub client: Pubkey,
    /// Assigned provider's authority; the default key while open.
    pub provider: Pubkey,
    pub status: JobStatus,
    /// Mint of the payment; the default key means native lamports.
    pub payment_mint: Pubkey,
    pub job_id: u64,
    pub requirements: Resources,
    pub duration_secs: u32,
    /// Highest price per hour the client accepts, in lamports.
    pub max_price_per_hour: u64,
    /// The assigned provider's price for these requirements, in lamports per hour.
    pub agreed_price_per_hour: u64,
    /// Lamports held in the vault for this job right now.
    pub escrow: u64,
    /// Platform fee in basis points, fixed when the job is assigned.
    pub fee_bps: u16,
    pub min_reputation: u16,
    /// sha256 of the job spec.
    pub spec_hash: [u8; 32],
    /// sha256 of the result bundle; zero until submitted.
    pub result_hash: [u8; 32],
    pub posted_at: i64,
    pub assigned_at: i64,
    pub started_at: i64,
    pub submitted_at: i64,
    pub disputed_at: i64,
    pub finished_at: i64,
    /// Assigned jobs not started by then may be expired.
    pub start_deadline: i64,
    /// started_at + duration: payment stops accruing, and the client may dispute a missing result.
    pub run_deadline: i64,
    /// run_deadline + grace: last moment for a result; after it the job may be expired.
    pub grace_deadline: i64,
    /// After it, anyone may finalize an undisputed result.
    pub review_deadline: i64,
    /// After it, anyone may refund a dispute the arbiter left open.
    pub dispute_deadline: i64,
    /// Client's rating 1..=5, or 0 if none.
    pub rating: u8,
    /// Lamports paid to the provider at settlement, after fee.
    pub provider_payout: u64,
    /// Lamports paid to the treasury at settlement.
    pub fee: u64,
    /// Lamports of escrow returned to the client over the job's life.
    pub client_refund: u64,
    pub bump: u8,
    pub vault_bump: u8,
    /// If set, only this provider may take the job.
    pub target_provider: Option<Pubkey>,
    #[max_len(MAX_URI_LEN)]
    pub spec_uri: String,
}

impl Job {
    /// Paid in an SPL token rather than lamports.
    pub fn is_token_job(&self) -> bool {
        self.payment_mint != Pubkey::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::*;

    #[test]
    fn filter_offsets_match_serialized_layout() {
        let job = Job {
            client: Pubkey::new_from_array([1; 32]),
            provider: Pubkey::new_from_array([2; 32]),
            status: JobStatus::Running,
            payment_mint: Pubkey::new_from_array([3; 32]),
            job_id: 0,
            requirements: Resources::default(),
            duration_secs: 0,
            max_price_per_hour: 0,
            agreed_price_per_hour: 0,
            escrow: 0,
            fee_bps: 0,
            min_reputation: 0,
            spec_hash: [0; 32],
            result_hash: [0; 32],
            posted_at: 0,
            assigned_at: 0,
            started_at: 0,
            submitted_at: 0,
            disputed_at: 0,
            finished_at: 0,
            start_deadline: 0,
            run_deadline: 0,
            grace_deadline: 0,
            review_deadline: 0,
            dispute_deadline: 0,
            rating: 0,
            provider_payout: 0,
            fee: 0,
            client_refund: 0,
            bump: 0,
            vault_bump: 0,
            target_provider: None,
            spec_uri: String::new(),
        };
        let mut data = Vec::new();
        job.try_serialize(&mut data).unwrap();
        let at = |offset: u32| offset as usize;
        assert_eq!(&data[at(JOB_CLIENT_OFFSET)..at(JOB_CLIENT_OFFSET) + 32], &[1; 32]);
        assert_eq!(&data[at(JOB_PROVIDER_OFFSET)..at(JOB_PROVIDER_OFFSET) + 32], &[2; 32]);
        assert_eq!(data[at(JOB_STATUS_OFFSET)], JobStatus::Running as u8);
        assert_eq!(&data[at(JOB_PAYMENT_MINT_OFFSET)..at(JOB_PAYMENT_MINT_OFFSET) + 32], &[3; 32]);
    }
}
