//! Figures derived from accounts: a provider's earnings, completion rate and utilisation; a client's
//! spending and history; market totals. Lamport amounts are exact; rates are in basis points.

use anchor_lang::prelude::Pubkey;
use compute_market::constants::BPS_DENOMINATOR;
use compute_market::state::{ClientProfile, Job, JobStatus, Market, Provider, Resources};

/// `part / whole` in basis points, rounded down; `None` when `whole` is zero.
pub fn bps(part: u64, whole: u64) -> Option<u16> {
    if whole == 0 {
        return None;
    }
    let value = u128::from(part) * u128::from(BPS_DENOMINATOR) / u128::from(whole);
    Some(value.min(u128::from(BPS_DENOMINATOR)) as u16)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Utilisation {
    pub cpu_cores: Option<u16>,
    pub ram_gb: Option<u16>,
    pub storage_gb: Option<u16>,
    pub gpus: Option<u16>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderStats {
    /// Paid to the provider over its life (on-chain total).
    pub total_earned: u64,
    /// Payouts of the provider's settled jobs still on chain (jobs not yet closed by their clients).
    pub earned_in_listed_jobs: u64,
    /// Escrow of its assigned, running and submitted jobs: earnings not yet settled.
    pub pending_escrow: u64,
    pub jobs_completed: u64,
    pub jobs_failed: u64,
    pub disputes_lost: u64,
    /// Completed over completed plus failed.
    pub completion_rate_bps: Option<u16>,
    pub active_jobs: u32,
    pub in_use: Resources,
    pub utilisation: Utilisation,
    pub reputation: u16,
    /// Average rating times 100 (e.g. 450 = 4.5 stars).
    pub average_rating_x100: Option<u64>,
}

pub fn provider_stats(provider: &Provider, jobs: &[(Pubkey, Job)]) -> ProviderStats {
    let own = || jobs.iter().map(|(_, job)| job).filter(|job| job.provider == provider.authority);
    let in_use = provider.capacity.checked_sub(&provider.free).unwrap_or_default();
    let share = |used: u64, capacity: u64| bps(used, capacity);
    ProviderStats {
        total_earned: provider.total_earned,
        earned_in_listed_jobs: own().map(|job| job.provider_payout).sum(),
        pending_escrow: own()
            .filter(|job| job.is(JobStatus::Assigned) || job.is(JobStatus::Running) || job.is(JobStatus::Submitted))
            .map(|job| job.escrow)
            .sum(),
        jobs_completed: provider.jobs_completed,
        jobs_failed: provider.jobs_failed,
        disputes_lost: provider.disputes_lost,
        completion_rate_bps: bps(provider.jobs_completed, provider.jobs_completed + provider.jobs_failed),
        active_jobs: provider.active_jobs,
        in_use,
        utilisation: Utilisation {
            cpu_cores: share(in_use.cpu_cores.into(), provider.capacity.cpu_cores.into()),
            ram_gb: share(in_use.ram_gb.into(), provider.capacity.ram_gb.into()),
            storage_gb: share(in_use.storage_gb.into(), provider.capacity.storage_gb.into()),
            gpus: share(in_use.gpus.into(), provider.capacity.gpus.into()),
        },
        reputation: provider.reputation,
        average_rating_x100: (provider.rating_count > 0).then(|| provider.rating_sum * 100 / provider.rating_count),
    }
}

#[derive(Clone, Debug)]
pub struct ClientStats {
    pub jobs_posted: u64,
    pub jobs_completed: u64,
    pub jobs_cancelled: u64,
    pub jobs_expired: u64,
    /// Paid for work, fee included, over the client's life.
    pub total_spent: u64,
    pub total_refunded: u64,
    /// Held in escrow for the client's unsettled jobs right now.
    pub in_escrow: u64,
    /// The client's jobs still on chain, oldest first.
    pub history: Vec<(Pubkey, Job)>,
}

pub fn client_stats(profile: &ClientProfile, jobs: &[(Pubkey, Job)]) -> ClientStats {
    let mut history: Vec<(Pubkey, Job)> = jobs.iter().filter(|(_, job)| job.client == profile.authority).copied().collect();
    history.sort_by_key(|(_, job)| (job.posted_at, job.job_id));
    ClientStats {
        jobs_posted: profile.jobs_posted,
        jobs_completed: profile.jobs_completed,
        jobs_cancelled: profile.jobs_cancelled,
        jobs_expired: profile.jobs_expired,
        total_spent: profile.total_spent,
        total_refunded: profile.total_refunded,
        in_escrow: history.iter().map(|(_, job)| job.escrow).sum(),
        history,
    }
}

/// Market-wide counts and lamport totals, summed from the per-party accounts (the program keeps no
/// market-wide counter: no job writes a shared account).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MarketStats {
    /// Providers registered and not retired.
    pub providers: u64,
    pub clients: u64,
    pub jobs_posted: u64,
    pub jobs_completed: u64,
    pub jobs_cancelled: u64,
    pub jobs_expired: u64,
    pub jobs_disputed: u64,
    /// Lamports paid for work (provider share plus fee), over all settled lamport jobs.
    pub volume_lamports: u64,
    /// Lamport fees of settled jobs, collected by the treasury or still set aside on providers.
    pub fees_collected: u64,
    /// Of those, still on provider accounts waiting for collect_fees.
    pub fees_uncollected: u64,
}

pub fn market_stats(providers: &[(Pubkey, Provider)], clients: &[(Pubkey, ClientProfile)]) -> MarketStats {
    let sum = |field: fn(&ClientProfile) -> u64| clients.iter().map(|(_, c)| field(c)).fold(0u64, u64::saturating_add);
    MarketStats {
        providers: providers.iter().filter(|(_, p)| p.retired == 0).count() as u64,
        clients: clients.len() as u64,
        jobs_posted: sum(|c| c.jobs_posted),
        jobs_completed: sum(|c| c.jobs_completed),
        jobs_cancelled: sum(|c| c.jobs_cancelled),
        jobs_expired: sum(|c| c.jobs_expired),
        jobs_disputed: sum(|c| c.jobs_disputed),
        volume_lamports: sum(|c| c.total_spent),
        fees_collected: sum(|c| c.fees_paid),
        fees_uncollected: providers.iter().map(|(_, p)| p.fees_owed).fold(0, u64::saturating_add),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarketTotals {
    pub stats: MarketStats,
    pub fee_bps: u16,
    pub active_providers: u64,
    /// Jobs on chain by status, in `JobStatus` order.
    pub jobs_by_status: [(JobStatus, u64); 8],
    /// Lamports and token units held in every job's escrow right now.
    pub escrow_held: u64,
    /// Free capacity across active providers.
    pub free_capacity: Resources,
}


pub fn market_totals(
    market: &Market,
    providers: &[(Pubkey, Provider)],
    clients: &[(Pubkey, ClientProfile)],
    jobs: &[(Pubkey, Job)],
) -> MarketTotals {
    let active = || providers.iter().map(|(_, p)| p).filter(|p| p.is_active());
    let free_capacity = active().fold(Resources::default(), |sum, p| sum.checked_add(&p.free).unwrap_or(sum));
    MarketTotals {
        stats: market_stats(providers, clients),
        fee_bps: market.fee_bps,
        active_providers: active().count() as u64,
        jobs_by_status: JobStatus::ALL.map(|status| (status, jobs.iter().filter(|(_, job)| job.is(status)).count() as u64)),
        escrow_held: jobs.iter().map(|(_, job)| job.escrow).sum(),
        free_capacity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytemuck::Zeroable;

    #[test]
    fn basis_points_round_down_and_need_a_whole() {
        assert_eq!(bps(1, 3), Some(3_333));
        assert_eq!(bps(3, 3), Some(10_000));
        assert_eq!(bps(0, 0), None);
    }

    #[test]
    fn provider_figures_follow_its_counters_and_jobs() {
        let authority = Pubkey::new_unique();
        let mut provider = Provider::zeroed();
        provider.authority = authority;
        provider.capacity = Resources { cpu_cores: 8, ram_gb: 16, storage_gb: 0, gpus: 0 };
        provider.free = Resources { cpu_cores: 6, ram_gb: 16, storage_gb: 0, gpus: 0 };
        provider.jobs_completed = 3;
        provider.jobs_failed = 1;
        provider.rating_sum = 9;
        provider.rating_count = 2;
        let mut running = Job::zeroed();
        running.provider = authority;
        running.set_status(JobStatus::Running);
        running.escrow = 1_000;
        let mut done = Job::zeroed();
        done.provider = authority;
        done.set_status(JobStatus::Completed);
        done.provider_payout = 975;
        let mut other = Job::zeroed();
        other.set_status(JobStatus::Running);
        other.escrow = 5;
        let jobs = [(Pubkey::new_unique(), running), (Pubkey::new_unique(), done), (Pubkey::new_unique(), other)];
        let stats = provider_stats(&provider, &jobs);
        assert_eq!(stats.pending_escrow, 1_000);
        assert_eq!(stats.earned_in_listed_jobs, 975);
        assert_eq!(stats.completion_rate_bps, Some(7_500));
        assert_eq!(stats.utilisation.cpu_cores, Some(2_500));
        assert_eq!(stats.utilisation.gpus, None);
        assert_eq!(stats.average_rating_x100, Some(450));
    }

    #[test]
    fn market_stats_sum_the_parties() {
        let mut a = ClientProfile::zeroed();
        a.jobs_posted = 3;
        a.jobs_completed = 2;
        a.jobs_disputed = 1;
        a.total_spent = 1_000;
        a.fees_paid = 25;
        let mut b = ClientProfile::zeroed();
        b.jobs_posted = u64::MAX;
        b.jobs_cancelled = 4;
        b.total_spent = 10;
        let mut live = Provider::zeroed();
        live.fees_owed = 7;
        let mut retired = Provider::zeroed();
        retired.retired = 1;
        retired.fees_owed = 3;
        let providers = [(Pubkey::new_unique(), live), (Pubkey::new_unique(), retired)];
        let clients = [(Pubkey::new_unique(), a), (Pubkey::new_unique(), b)];
        let stats = market_stats(&providers, &clients);
        assert_eq!((stats.providers, stats.clients), (1, 2));
        assert_eq!(stats.jobs_posted, u64::MAX, "sums saturate");
        assert_eq!((stats.jobs_completed, stats.jobs_cancelled, stats.jobs_disputed), (2, 4, 1));
        assert_eq!((stats.volume_lamports, stats.fees_collected, stats.fees_uncollected), (1_010, 25, 10));
    }
}
