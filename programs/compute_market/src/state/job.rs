//! A job: requirements, price, escrow and its place in the lifecycle.

use anchor_lang::prelude::*;

use crate::constants::SECONDS_PER_HOUR;
use crate::error::MarketError;
use crate::state::{optional_key, GpuNeeds, Resources, StoredUri, TimeWindows};

/// Where a job is in its lifecycle; stored in `Job::status` as its `u8` discriminant. Final states:
/// Completed, Expired, Resolved (a cancelled job is closed at once).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
#[repr(u8)]
pub enum JobStatus {
    /// Posted, escrow held, waiting for a provider.
    Open,
    /// A provider holds it; it must start within the start window.
    Assigned,
    /// Started; the result is due by the run deadline plus grace.
    Running,
    /// Result submitted; the client reviews until the review deadline.
    Submitted,
    /// The client disputes; the admin arbitrates until the dispute deadline, then the default split applies.
    Disputed,
    /// Paid out by the client or automatically after review.
    Completed,
    /// Refunded because a deadline passed, or settled by the default split of a dispute nobody ruled on.
    Expired,
    /// Settled by the arbiter's split.
    Resolved,
}

impl JobStatus {
    pub const ALL: [JobStatus; 8] = [
        JobStatus::Open,
        JobStatus::Assigned,
        JobStatus::Running,
        JobStatus::Submitted,
        JobStatus::Disputed,
        JobStatus::Completed,
        JobStatus::Expired,
        JobStatus::Resolved,
    ];

    pub fn is_final(&self) -> bool {
        matches!(self, JobStatus::Completed | JobStatus::Expired | JobStatus::Resolved)
    }

    /// The status a stored discriminant stands for.
    pub fn from_stored(value: u8) -> Result<JobStatus> {
        JobStatus::ALL.get(usize::from(value)).copied().ok_or_else(|| Error::from(MarketError::InvalidJobStatus))
    }
}

/// Seeds `["job", client, job_id as u64 little-endian]`. Zero-copy, `repr(C)` without padding
/// (608 bytes); `client`, `provider`, `payment_mint` and `status` sit at the offsets in `constants`
/// for memcmp filters.
#[account(zero_copy)]
#[derive(Debug)]
pub struct Job {
    pub client: Pubkey,
    /// Assigned provider's authority; the default key while open.
    pub provider: Pubkey,
    /// Mint of the payment; the default key means native lamports.
    pub payment_mint: Pubkey,
    /// If not the default key, only this provider (its authority) may take the job.
    pub target_provider: Pubkey,
    pub job_id: u64,
    /// Highest price per hour the client accepts, in lamports or the mint's base units.
    pub max_price_per_hour: u64,
    /// The assigned provider's price for these requirements, per hour.
    pub agreed_price_per_hour: u64,
    /// Held in the vault for this job right now.
    pub escrow: u64,
    /// Paid to the provider at settlement, after fee.
    pub provider_payout: u64,
    /// Paid to the treasury at settlement.
    pub fee: u64,
    /// Escrow returned to the client over the job's life.
    pub client_refund: u64,
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
    pub requirements: Resources,
    pub duration_secs: u32,
    /// Platform fee in basis points, fixed when the job is posted.
    pub fee_bps: u16,
    pub min_reputation: u16,
    /// A `JobStatus` discriminant; read it with `status()`.
    pub status: u8,
    /// Client's rating 1..=5, or 0 if none.
    pub rating: u8,
    pub bump: u8,
    pub vault_bump: u8,
    /// sha256 of the job spec.
    pub spec_hash: [u8; 32],
    /// sha256 of the result bundle; zero until submitted.
    pub result_hash: [u8; 32],
    /// The market's windows when the job was posted: the job's terms for every phase.
    pub windows: TimeWindows,
    pub spec_uri: StoredUri,
    pub _reserved: [u8; 3],
    /// What the job needs of each GPU it asks for.
    pub gpu: GpuNeeds,
    /// Share of `min_bond` slashed to the client if the provider fails the job: the market's at posting.
    pub slash_bps: u16,
    pub _reserved_bond: [u8; 6],
    /// Bond the provider must have free in the job's currency to take it, locked while the job is in
    /// flight; 0 for none.
    pub min_bond: u64,
}

impl Job {
    pub fn status(&self) -> Result<JobStatus> {
        JobStatus::from_stored(self.status)
    }

    pub fn is(&self, status: JobStatus) -> bool {
        self.status == status as u8
    }

    pub fn set_status(&mut self, status: JobStatus) {
        self.status = status as u8;
    }

    pub fn target_provider(&self) -> Option<Pubkey> {
        optional_key(self.target_provider)
    }

    /// Paid in an SPL token rather than lamports.
    pub fn is_token_job(&self) -> bool {
        self.payment_mint != Pubkey::default()
    }

    /// Asks its provider for a bond.
    pub fn is_bonded(&self) -> bool {
        self.min_bond > 0
    }

    /// What the provider's bond loses if it fails the job.
    pub fn slash(&self) -> u64 {
        crate::state::slash_of(self.min_bond, self.slash_bps)
    }

    /// Returns an assigned job to Open (declined by its provider, or taken back by its client), nobody's
    /// record touched. Its escrow stays as it is, so its maximum price becomes the highest the escrow still
    /// covers for the duration (never above what the client posted).
    pub fn reopen(&mut self) {
        // The highest p with floor(p x duration / 3600) <= escrow: p x duration < (escrow + 1) x 3600.
        let covered = ((u128::from(self.escrow) + 1) * u128::from(SECONDS_PER_HOUR) - 1) / u128::from(self.duration_secs.max(1));
        self.max_price_per_hour = u64::try_from(covered).unwrap_or(u64::MAX).min(self.max_price_per_hour);
        self.provider = Pubkey::default();
        self.agreed_price_per_hour = 0;
        self.assigned_at = 0;
        self.start_deadline = 0;
        self.set_status(JobStatus::Open);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::*;
    use crate::state::space;

    #[test]
    fn filter_offsets_match_stored_layout() {
        assert_eq!(space::<Job>(), 8 + 608, "the layout documented on Job");
        let job = Job {
            client: Pubkey::new_from_array([1; 32]),
            provider: Pubkey::new_from_array([2; 32]),
            payment_mint: Pubkey::new_from_array([3; 32]),
            status: JobStatus::Running as u8,
            ..bytemuck::Zeroable::zeroed()
        };
        let data = [Job::DISCRIMINATOR, bytemuck::bytes_of(&job)].concat();
        let at = |offset: u32| offset as usize;
        assert_eq!(&data[at(JOB_CLIENT_OFFSET)..at(JOB_CLIENT_OFFSET) + 32], &[1; 32]);
        assert_eq!(&data[at(JOB_PROVIDER_OFFSET)..at(JOB_PROVIDER_OFFSET) + 32], &[2; 32]);
        assert_eq!(&data[at(JOB_PAYMENT_MINT_OFFSET)..at(JOB_PAYMENT_MINT_OFFSET) + 32], &[3; 32]);
        assert_eq!(data[at(JOB_STATUS_OFFSET)], JobStatus::Running as u8);
    }

    #[test]
    fn reopening_keeps_the_maximum_within_the_escrow() {
        let mut job = Job { escrow: 51_400_000, duration_secs: 7_200, max_price_per_hour: 30_000_000, ..bytemuck::Zeroable::zeroed() };
        job.provider = Pubkey::new_from_array([2; 32]);
        job.agreed_price_per_hour = 25_700_000;
        job.set_status(JobStatus::Assigned);
        job.reopen();
        assert_eq!((job.max_price_per_hour, job.provider, job.agreed_price_per_hour), (25_700_000, Pubkey::default(), 0));
        assert_eq!(job.status().unwrap(), JobStatus::Open);
        assert_eq!(crate::math::pricing::cost_for(job.max_price_per_hour, 7_200), Some(51_400_000));
        // An escrow that still holds everything posted keeps the posted maximum.
        let mut full = Job { escrow: 60_000_000, duration_secs: 7_200, max_price_per_hour: 30_000_000, ..bytemuck::Zeroable::zeroed() };
        full.reopen();
        assert_eq!(full.max_price_per_hour, 30_000_000);
        // An escrow the agreed price's cost rounded down still covers that price: 0.8 SOL/h for ten minutes.
        let mut rounded = Job { escrow: 133_333_333, duration_secs: 600, max_price_per_hour: 800_000_000, ..bytemuck::Zeroable::zeroed() };
        rounded.reopen();
        assert_eq!(rounded.max_price_per_hour, 800_000_000);
        let mut tight = Job { escrow: 133_333_333, duration_secs: 600, max_price_per_hour: u64::MAX, ..bytemuck::Zeroable::zeroed() };
        tight.reopen();
        assert_eq!(tight.max_price_per_hour, 800_000_003);
        assert_eq!(crate::math::pricing::cost_for(800_000_003, 600), Some(133_333_333));
        assert_eq!(crate::math::pricing::cost_for(800_000_004, 600), Some(133_333_334), "one more is beyond the escrow");
    }

    #[test]
    fn stored_status_round_trips() {
        for status in JobStatus::ALL {
            assert_eq!(JobStatus::from_stored(status as u8).unwrap(), status);
        }
        assert!(JobStatus::from_stored(JobStatus::ALL.len() as u8).is_err());
    }
}
