//! A compute provider: capacity, rates, reputation and earnings.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::math::reputation::{reputation_score, ReputationInputs};
use crate::state::{Rates, Resources, StoredUri};

/// Seeds `["provider", authority]`. Zero-copy, `repr(C)` without padding (368 bytes); `authority` and
/// `active` sit at the offsets in `constants` for memcmp filters.
#[account(zero_copy)]
#[derive(Debug)]
pub struct Provider {
    /// The wallet that operates this provider and receives its payouts.
    pub authority: Pubkey,
    pub jobs_completed: u64,
    /// Jobs expired because the provider did not start or deliver in time.
    pub jobs_failed: u64,
    pub disputes_lost: u64,
    pub rating_sum: u64,
    pub rating_count: u64,
    /// Lamports received for work, after the platform fee.
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
    pub _reserved: [u8; 7],
}

impl Provider {
    pub fn is_active(&self) -> bool {
        self.active != 0
    }

    /// Capacity held by jobs in flight.
    pub fn in_use(&self) -> Result<Resources> {
        self.capacity.checked_sub(&self.free).ok_or_else(|| error!(MarketError::MathOverflow))
    }

    /// Changes the offered capacity, keeping what jobs in flight hold reserved.
    pub fn resize(&mut self, capacity: Resources) -> Result<()> {
        let in_use = self.in_use()?;
        require!(in_use.fits_in(&capacity), MarketError::CapacityInUse);
        self.free = capacity.checked_sub(&in_use).ok_or_else(|| error!(MarketError::MathOverflow))?;
        self.capacity = capacity;
        Ok(())
    }

    /// Reserves a job's requirements and counts it in flight.
    pub fn reserve(&mut self, requirements: &Resources) -> Result<()> {
        self.free = self
            .free
            .checked_sub(requirements)
            .ok_or_else(|| error!(MarketError::InsufficientCapacity))?;
        self.active_jobs = self.active_jobs.checked_add(1).ok_or_else(|| error!(MarketError::MathOverflow))?;
        Ok(())
    }

    /// Releases a job's requirements when it leaves flight.
    pub fn release(&mut self, requirements: &Resources) -> Result<()> {
        let free = self.free.checked_add(requirements).ok_or_else(|| error!(MarketError::MathOverflow))?;
        require!(free.fits_in(&self.capacity), MarketError::MathOverflow);
        self.free = free;
        self.active_jobs = self.active_jobs.checked_sub(1).ok_or_else(|| error!(MarketError::MathOverflow))?;
        Ok(())
    }

    /// Counts a job paid out to the provider, with the client's optional rating.
    pub fn record_completion(&mut self, earned: u64, rating: Option<u8>) -> Result<()> {
        self.jobs_completed = add(self.jobs_completed, 1)?;
        self.total_earned = add(self.total_earned, earned)?;
        if let Some(stars) = rating {
            self.rating_sum = add(self.rating_sum, stars.into())?;
            self.rating_count = add(self.rating_count, 1)?;
        }
        self.refresh_reputation();
        Ok(())
    }

    pub fn record_failure(&mut self) -> Result<()> {
        self.jobs_failed = add(self.jobs_failed, 1)?;
        self.refresh_reputation();
        Ok(())
    }

    pub fn record_dispute_lost(&mut self, earned: u64) -> Result<()> {
        self.disputes_lost = add(self.disputes_lost, 1)?;
        self.total_earned = add(self.total_earned, earned)?;
        self.refresh_reputation();
        Ok(())
    }

    pub fn refresh_reputation(&mut self) {
        self.reputation = reputation_score(&ReputationInputs {
            completed: self.jobs_completed,
            failed: self.jobs_failed,
            disputes_lost: self.disputes_lost,
            rating_sum: self.rating_sum,
            rating_count: self.rating_count,
        });
    }
}

fn add(a: u64, b: u64) -> Result<u64> {
    a.checked_add(b).ok_or_else(|| error!(MarketError::MathOverflow))
}

impl Provider {
    /// A provider's offer: some capacity within the ceilings, and a rate for each resource offered.
    pub fn validate_offer(capacity: &Resources, rates: &Rates) -> Result<()> {
        require!(capacity.is_valid_amount(), MarketError::InvalidCapacity);
        require!(rates.is_valid_for(capacity), MarketError::InvalidRates);
        Ok(())
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
        assert_eq!(space::<Provider>(), 8 + 368, "the layout documented on Provider");
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
        p.record_completion(100, Some(5)).unwrap();
        assert_eq!((p.jobs_completed, p.total_earned, p.rating_sum, p.rating_count), (1, 100, 5, 1));
        assert_eq!(p.reputation, 6_666);
        p.record_failure().unwrap();
        assert!(p.reputation < 6_666);
    }
}
