//! A compute provider: capacity, rates, reputation and earnings.

use anchor_lang::prelude::*;

use crate::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, REPUTATION_UNIT_LAMPORTS};
use crate::error::MarketError;
use crate::math::reputation::{reputation_score, ReputationInputs};
use crate::state::{Hardware, Rates, Resources, StoredUri};

/// Seeds `["provider", authority]`. Zero-copy, `repr(C)` without padding (416 bytes); `authority` and
/// `active` sit at the offsets in `constants` for memcmp filters. Never closed: a provider that leaves
/// is retired with its record, and registering again reopens the same record. Besides its rent it holds
/// `fees_owed` and `earnings_owed` in lamports.
#[account(zero_copy)]
#[derive(Debug)]
pub struct Provider {
    /// The wallet that operates this provider and receives its payouts.
    pub authority: Pubkey,
    /// Paid jobs completed (work of no value is not counted).
    pub jobs_completed: u64,
    /// Jobs expired because the provider did not start or deliver in time.
    pub jobs_failed: u64,
    pub disputes_lost: u64,
    pub rating_sum: u64,
    pub rating_count: u64,
    /// Lamports earned for work, after the platform fee (paid or owed).
    pub total_earned: u64,
    pub registered_at: i64,
    pub last_active_at: i64,
    /// Hourly rates per unit, in lamports.
    pub rates: Rates,
    /// Capacity offered in all.
    pub capacity: Resources,
    /// Capacity not reserved by jobs in flight right now.
    pub free: Resources,
    /// Jobs assigned and not yet final.
    pub active_jobs: u32,
    /// Reputation score 0..=MAX_REPUTATION, from `math::reputation::reputation_score`.
    pub reputation: u16,
    /// 1 while the provider accepts new jobs.
    pub active: u8,
    pub bump: u8,
    /// Where clients reach the provider (metadata, endpoint for results).
    pub metadata_uri: StoredUri,
    /// Who may assign it jobs besides itself: `ASSIGN_BY_CLIENTS` and `ASSIGN_BY_MATCHER` flags.
    pub assignment: u8,
    /// 1 once the provider has left the market (close_provider); registering again reopens it.
    pub retired: u8,
    /// The provider's hardware (see `Hardware`): CPU architecture, GPU model and GB of memory per GPU.
    pub cpu_arch: u8,
    pub gpu_model: u16,
    pub vram_gb: u16,
    /// Reputation weights, in REPUTATION_UNIT_LAMPORTS of value: work paid for, and the value of jobs
    /// failed and of disputes lost.
    pub delivered_units: u64,
    pub failed_units: u64,
    pub lost_units: u64,
    /// Distinct clients that paid for counted work (each has a `Pair` account).
    pub counterparties: u64,
    /// Lamport fees of its jobs held here for the treasury until `collect_fees` moves them.
    pub fees_owed: u64,
    /// Lamport earnings its wallet could not receive when paid (below the rent-exempt minimum), held
    /// here until it withdraws them.
    pub earnings_owed: u64,
}

impl Provider {
    pub fn is_active(&self) -> bool {
        self.active != 0
    }

    pub fn hardware(&self) -> Hardware {
        Hardware { gpu_model: self.gpu_model, vram_gb: self.vram_gb, cpu_arch: self.cpu_arch }
    }

    pub fn set_hardware(&mut self, hardware: &Hardware) {
        self.gpu_model = hardware.gpu_model;
        self.vram_gb = hardware.vram_gb;
        self.cpu_arch = hardware.cpu_arch;
    }

    /// Capacity held by jobs in flight.
    pub fn in_use(&self) -> Result<Resources> {
        self.capacity.checked_sub(&self.free).ok_or_else(|| Error::from(MarketError::MathOverflow))
    }

    /// Changes the offered capacity, keeping what jobs in flight hold reserved.
    pub fn resize(&mut self, capacity: Resources) -> Result<()> {
        let in_use = self.in_use()?;
        ensure!(in_use.fits_in(&capacity), MarketError::CapacityInUse);
        self.free = capacity.checked_sub(&in_use).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        self.capacity = capacity;
        Ok(())
    }

    /// Reserves a job's requirements and counts it in flight.
    pub fn reserve(&mut self, requirements: &Resources) -> Result<()> {
        self.free = self
            .free
            .checked_sub(requirements)
            .ok_or_else(|| Error::from(MarketError::InsufficientCapacity))?;
        self.active_jobs = self.active_jobs.checked_add(1).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        Ok(())
    }

    /// Releases a job's requirements when it leaves flight.
    pub fn release(&mut self, requirements: &Resources) -> Result<()> {
        let free = self.free.checked_add(requirements).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        ensure!(free.fits_in(&self.capacity), MarketError::MathOverflow);
        self.free = free;
        self.active_jobs = self.active_jobs.checked_sub(1).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        Ok(())
    }

    /// Counts paid work: `value` (lamport-equivalent, payout plus fee) weighs it, `new_client` says it is
    /// the first counted work for this client. Work below one reputation unit is not counted at all.
    pub fn record_completion(&mut self, earned_lamports: u64, value: u64, rating: Option<u8>, new_client: bool) {
        self.total_earned = tally(self.total_earned, earned_lamports);
        let units = value / REPUTATION_UNIT_LAMPORTS;
        if units == 0 {
            return;
        }
        self.jobs_completed = tally(self.jobs_completed, 1);
        self.delivered_units = tally(self.delivered_units, units);
        if new_client {
            self.counterparties = tally(self.counterparties, 1);
        }
        if let Some(stars) = rating {
            self.rating_sum = tally(self.rating_sum, stars.into());
            self.rating_count = tally(self.rating_count, 1);
        }
        self.refresh_reputation();
    }

    /// Counts a job the provider agreed to and did not start or deliver, weighed by its escrow's value.
    pub fn record_failure(&mut self, value: u64) {
        self.jobs_failed = tally(self.jobs_failed, 1);
        self.failed_units = tally(self.failed_units, penalty_units(value));
        self.refresh_reputation();
    }

    /// Counts a dispute the arbiter ruled mostly against the provider, weighed by the escrow's value.
    pub fn record_dispute_lost(&mut self, earned_lamports: u64, value: u64) {
        self.disputes_lost = tally(self.disputes_lost, 1);
        self.total_earned = tally(self.total_earned, earned_lamports);
        self.lost_units = tally(self.lost_units, penalty_units(value));
        self.refresh_reputation();
    }

    pub fn refresh_reputation(&mut self) {
        self.reputation = reputation_score(&ReputationInputs {
            delivered_units: self.delivered_units,
            failed_units: self.failed_units,
            lost_units: self.lost_units,
            rating_sum: self.rating_sum,
            rating_count: self.rating_count,
            counterparties: self.counterparties,
        });
    }

    /// Whether `assigner` may assign this provider a job: the provider itself always, the market's
    /// matcher or the job's client only if the provider opted in.
    pub fn consents_to(&self, assigner: &Pubkey, client: &Pubkey, is_matcher: bool) -> bool {
        *assigner == self.authority
            || (is_matcher && self.assignment & ASSIGN_BY_MATCHER != 0)
            || (assigner == client && self.assignment & ASSIGN_BY_CLIENTS != 0)
    }
}

/// A statistic's addition: saturates instead of failing, so no counter can ever block a transfer.
pub fn tally(a: u64, b: u64) -> u64 {
    a.saturating_add(b)
}

/// A failure or lost dispute weighs its value in units, and at least one unit.
fn penalty_units(value: u64) -> u64 {
    (value / REPUTATION_UNIT_LAMPORTS).max(1)
}

impl Provider {
    /// An assignment policy: only the ASSIGN_BY_CLIENTS and ASSIGN_BY_MATCHER flags.
    pub fn validate_assignment(assignment: u8) -> Result<()> {
        ensure!(assignment & !(ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER) == 0, MarketError::InvalidAssignmentPolicy);
        Ok(())
    }

    /// A provider's offer: some capacity within the ceilings, a rate for each resource offered, and the
    /// hardware behind it.
    pub fn validate_offer(capacity: &Resources, rates: &Rates, hardware: &Hardware) -> Result<()> {
        ensure!(capacity.is_valid_amount(), MarketError::InvalidCapacity);
        ensure!(rates.is_valid_for(capacity), MarketError::InvalidRates);
        hardware.validate_for(capacity)
    }

    /// Rates quoted in a mint: valid for the provider's offer as it stands.
    pub fn validate_quote(&self, rates: &Rates) -> Result<()> {
        Provider::validate_offer(&self.capacity, rates, &self.hardware())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::{PROVIDER_ACTIVE_OFFSET, PROVIDER_AUTHORITY_OFFSET};
    use crate::state::space;

    fn provider(capacity: Resources) -> Provider {
        Provider {
            authority: Pubkey::new_from_array([7; 32]),
            active: 1,
            capacity,
            free: capacity,
            metadata_uri: StoredUri::new("https://p.example").unwrap(),
            ..bytemuck::Zeroable::zeroed()
        }
    }

    const CAP: Resources = Resources { cpu_cores: 8, ram_gb: 32, storage_gb: 100, gpus: 1 };
    const JOB: Resources = Resources { cpu_cores: 4, ram_gb: 16, storage_gb: 10, gpus: 1 };

    #[test]
    fn filter_offsets_match_stored_layout() {
        assert_eq!(space::<Provider>(), 8 + 416, "the layout documented on Provider");
        let stored = provider(CAP);
        let data = [Provider::DISCRIMINATOR, bytemuck::bytes_of(&stored)].concat();
        let at = PROVIDER_AUTHORITY_OFFSET as usize;
        assert_eq!(&data[at..at + 32], &[7; 32]);
        assert_eq!(data[PROVIDER_ACTIVE_OFFSET as usize], 1);
    }

    #[test]
    fn reserve_and_release_round_trip() {
        let mut p = provider(CAP);
        p.reserve(&JOB).unwrap();
        assert_eq!(p.free, Resources { cpu_cores: 4, ram_gb: 16, storage_gb: 90, gpus: 0 });
        assert_eq!(p.active_jobs, 1);
        assert!(p.reserve(&JOB).is_err(), "the only GPU is taken");
        p.release(&JOB).unwrap();
        assert_eq!((p.free, p.active_jobs), (CAP, 0));
        assert!(p.release(&JOB).is_err(), "cannot release beyond capacity");
    }

    #[test]
    fn resize_keeps_reservations() {
        let mut p = provider(CAP);
        p.reserve(&JOB).unwrap();
        p.resize(Resources { cpu_cores: 16, ..CAP }).unwrap();
        assert_eq!(p.free.cpu_cores, 12);
        assert!(p.resize(Resources { ram_gb: 15, ..CAP }).is_err());
    }

    #[test]
    fn reputation_follows_record() {
        let mut p = provider(CAP);
        p.refresh_reputation();
        assert_eq!(p.reputation, 5_000);
        // Work below one unit counts as earnings only.
        p.record_completion(100, REPUTATION_UNIT_LAMPORTS - 1, Some(5), true);
        assert_eq!((p.jobs_completed, p.total_earned, p.rating_count, p.counterparties, p.reputation), (0, 100, 0, 0, 5_000));
        p.record_completion(100, 100 * REPUTATION_UNIT_LAMPORTS, Some(5), true);
        assert_eq!((p.jobs_completed, p.total_earned, p.rating_sum, p.rating_count), (1, 200, 5, 1));
        assert_eq!((p.delivered_units, p.counterparties), (100, 1));
        let after_one = p.reputation;
        assert!(after_one > 5_000);
        p.record_completion(0, 100 * REPUTATION_UNIT_LAMPORTS, None, false);
        assert_eq!(p.counterparties, 1, "the same client again");
        p.record_failure(0);
        assert_eq!((p.jobs_failed, p.failed_units), (1, 1), "a failure weighs at least one unit");
        p.record_dispute_lost(7, 5 * REPUTATION_UNIT_LAMPORTS);
        assert_eq!((p.disputes_lost, p.lost_units, p.total_earned), (1, 5, 207));
        assert!(p.reputation < after_one + 1_000);
    }

    #[test]
    fn counters_saturate() {
        let mut p = provider(CAP);
        p.total_earned = u64::MAX;
        p.delivered_units = u64::MAX;
        p.jobs_completed = u64::MAX;
        p.rating_sum = u64::MAX;
        p.record_completion(5, u64::MAX, Some(5), true);
        assert_eq!((p.total_earned, p.delivered_units, p.jobs_completed, p.rating_sum), (u64::MAX, u64::MAX, u64::MAX, u64::MAX));
        p.failed_units = u64::MAX;
        p.record_failure(u64::MAX);
        assert_eq!(p.failed_units, u64::MAX);
    }

    #[test]
    fn consent_follows_the_published_policy() {
        let (me, client, matcher) = (Pubkey::new_from_array([7; 32]), Pubkey::new_from_array([8; 32]), Pubkey::new_from_array([9; 32]));
        let mut p = provider(CAP);
        assert!(p.consents_to(&me, &client, false));
        assert!(!p.consents_to(&client, &client, false));
        assert!(!p.consents_to(&matcher, &client, true));
        p.assignment = ASSIGN_BY_MATCHER;
        assert!(p.consents_to(&matcher, &client, true));
        assert!(!p.consents_to(&client, &client, false));
        p.assignment = ASSIGN_BY_CLIENTS;
        assert!(p.consents_to(&client, &client, false));
        assert!(!p.consents_to(&matcher, &client, true));
        assert!(!p.consents_to(&matcher, &client, false), "a stranger is neither");
    }
}
