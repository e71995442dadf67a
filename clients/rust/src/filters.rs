//! Filters for listing providers and jobs: the parts the account layout allows are memcmp filters the
//! node applies (status, parties, activity); ranges (capacity, price, reputation) are checked here.

use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use compute_market::constants::{
    JOB_CLIENT_OFFSET, JOB_PROVIDER_OFFSET, JOB_STATUS_OFFSET, PROVIDER_ACTIVE_OFFSET,
};
use compute_market::math::pricing::hourly_price;
use compute_market::state::{gpu_family, space, Job, JobStatus, Provider, Resources};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};

/// Which providers to list. Capacity minimums apply to free capacity (what the provider can take on
/// now); `max_price_per_hour` is the provider's price for the minimums asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderFilter {
    pub active: Option<bool>,
    pub min_cores: u16,
    pub min_ram_gb: u32,
    pub min_storage_gb: u32,
    pub min_gpus: u16,
    /// GPUs of at least this many GB each, and of this family (the high byte of a model id).
    pub min_vram_gb: u16,
    pub gpu_family: Option<u16>,
    pub max_price_per_hour: Option<u64>,
    pub min_reputation: u16,
    /// Retired providers (closed; their record stays) only, or none of them; both when unset.
    pub retired: Option<bool>,
}

impl ProviderFilter {
    /// The resources the minimums add up to, as a job's requirements.
    pub fn wanted(&self) -> Resources {
        Resources { cpu_cores: self.min_cores, ram_gb: self.min_ram_gb, storage_gb: self.min_storage_gb, gpus: self.min_gpus }
    }

    /// What the node filters: the account type, and activity when asked.
    pub fn rpc_filters(&self) -> Vec<RpcFilterType> {
        let mut filters = type_filters::<Provider>();
        if let Some(active) = self.active {
            filters.push(memcmp(PROVIDER_ACTIVE_OFFSET, vec![u8::from(active)]));
        }
        filters
    }

    pub fn matches(&self, provider: &Provider) -> bool {
        let active_ok = self.active.is_none_or(|active| provider.is_active() == active);
        let retired_ok = self.retired.is_none_or(|retired| (provider.retired != 0) == retired);
        let price_ok = self
            .max_price_per_hour
            .is_none_or(|max| hourly_price(&provider.rates, &self.wanted()).is_some_and(|price| price <= max));
        let gpus_ok = provider.vram_gb >= self.min_vram_gb
            && self.gpu_family.is_none_or(|family| provider.capacity.gpus > 0 && gpu_family(provider.gpu_model) == family);
        active_ok && retired_ok && self.wanted().fits_in(&provider.free) && provider.reputation >= self.min_reputation && price_ok && gpus_ok
    }
}

/// Which jobs to list: by client, by provider (authority), by status; all applied by the node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobFilter {
    pub client: Option<Pubkey>,
    pub provider: Option<Pubkey>,
    pub status: Option<JobStatus>,
}

impl JobFilter {
    pub fn rpc_filters(&self) -> Vec<RpcFilterType> {
        let mut filters = type_filters::<Job>();
        if let Some(client) = self.client {
            filters.push(memcmp(JOB_CLIENT_OFFSET, client.to_bytes().to_vec()));
        }
        if let Some(provider) = self.provider {
            filters.push(memcmp(JOB_PROVIDER_OFFSET, provider.to_bytes().to_vec()));
        }
        if let Some(status) = self.status {
            filters.push(memcmp(JOB_STATUS_OFFSET, vec![status as u8]));
        }
        filters
    }

    /// The same conditions checked on a decoded job.
    pub fn matches(&self, job: &Job) -> bool {
        self.client.is_none_or(|client| job.client == client)
            && self.provider.is_none_or(|provider| job.provider == provider)
            && self.status.is_none_or(|status| job.is(status))
    }
}

/// Accounts of type `T`: its size and its discriminator.
pub fn type_filters<T: Discriminator>() -> Vec<RpcFilterType> {
    vec![RpcFilterType::DataSize(space::<T>() as u64), memcmp(0, T::DISCRIMINATOR.to_vec())]
}

fn memcmp(offset: u32, bytes: Vec<u8>) -> RpcFilterType {
    RpcFilterType::Memcmp(Memcmp::new_raw_bytes(offset as usize, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytemuck::Zeroable;
    use compute_market::state::Rates;

    fn provider(free: Resources, per_core: u64, reputation: u16, active: bool) -> Provider {
        let mut p = Provider::zeroed();
        p.free = free;
        p.capacity = free;
        p.rates = Rates { per_core, per_gb_ram: 0, per_gb_storage: 0, per_gpu: 0 };
        p.reputation = reputation;
        p.active = u8::from(active);
        p
    }

    #[test]
    fn provider_filter_checks_free_capacity_price_and_reputation() {
        let four = Resources { cpu_cores: 4, ram_gb: 8, storage_gb: 0, gpus: 0 };
        let p = provider(four, 100, 5_000, true);
        let base = ProviderFilter { active: Some(true), min_cores: 4, ..Default::default() };
        assert!(base.matches(&p));
        assert!(!ProviderFilter { min_cores: 5, ..base.clone() }.matches(&p));
        assert!(!ProviderFilter { min_gpus: 1, ..base.clone() }.matches(&p));
        let mut a100s = p;
        (a100s.gpu_model, a100s.vram_gb, a100s.capacity.gpus) = (0x0202, 80, 2);
        assert!(ProviderFilter { min_vram_gb: 80, gpu_family: Some(0x02), ..base.clone() }.matches(&a100s));
        assert!(!ProviderFilter { min_vram_gb: 81, ..base.clone() }.matches(&a100s));
        assert!(!ProviderFilter { gpu_family: Some(0x01), ..base.clone() }.matches(&a100s));
        assert!(!ProviderFilter { gpu_family: Some(0x00), ..base.clone() }.matches(&p), "no GPUs, no family");
        assert!(ProviderFilter { max_price_per_hour: Some(400), ..base.clone() }.matches(&p));
        assert!(!ProviderFilter { max_price_per_hour: Some(399), ..base.clone() }.matches(&p));
        assert!(!ProviderFilter { min_reputation: 5_001, ..base.clone() }.matches(&p));
        assert!(!ProviderFilter { active: Some(false), ..base.clone() }.matches(&p));
        assert!(ProviderFilter { retired: Some(false), ..base.clone() }.matches(&p));
        assert!(!ProviderFilter { retired: Some(true), ..base.clone() }.matches(&p));
        let mut retired = provider(four, 100, 5_000, false);
        retired.retired = 1;
        assert!(ProviderFilter { retired: Some(true), ..Default::default() }.matches(&retired));
        assert!(!ProviderFilter { retired: Some(false), ..Default::default() }.matches(&retired));
    }

    #[test]
    fn job_filter_puts_status_at_its_offset() {
        let filters = JobFilter { status: Some(JobStatus::Running), ..Default::default() }.rpc_filters();
        assert_eq!(filters.len(), 3);
        assert!(matches!(&filters[2], RpcFilterType::Memcmp(m) if m.offset() == JOB_STATUS_OFFSET as usize));
    }
}
