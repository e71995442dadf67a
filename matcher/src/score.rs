//! How the matcher ranks the providers that can take a job. Each part is in basis points (0..=10,000):
//!
//! - price (weight 40%): how far below the job's maximum the provider's price is,
//!   `10,000 x (max - price) / max`; the cheaper, the better for the client;
//! - reputation (30%): the provider's on-chain reputation score as it is;
//! - capacity fit (20%): the mean, over the resources the job asks for, of `asked / free`; a job goes
//!   to the provider it fills most snugly, keeping large free blocks for large jobs (best fit);
//! - load (10%): `10,000 / (1 + jobs in flight)`; spreads work over idle providers.
//!
//! score = (40 x price + 30 x reputation + 20 x fit + 10 x load) / 100. Ties go to the lower price,
//! then to the lower provider address, so the ranking is deterministic.

use compute_market::state::Resources;

const WHOLE: u64 = 10_000;

/// A provider's score for one job; the larger, the better.
#[inline]
pub fn score(price: u64, max_price: u64, reputation: u16, requirements: &Resources, free: &Resources, active_jobs: u32) -> u64 {
    score_of(price_part(price, max_price), standing(reputation, active_jobs), fit(requirements, free))
}

/// The score from its parts: `price_part`, `standing` (already weighed) and `fit`. It grows with each.
#[inline]
pub fn score_of(price_part: u64, standing: u64, fit: u64) -> u64 {
    (40 * price_part + standing + 20 * fit) / 100
}

/// How far below the job's maximum the price is, in basis points; shrinks as the price grows. A
/// maximum above `u64::MAX / 10,000` is worked out in 128 bits rather than overflow.
#[inline]
pub fn price_part(price: u64, max_price: u64) -> u64 {
    let below = max_price - price.min(max_price);
    match max_price {
        0 => 0,
        1..=LARGEST_IN_64_BITS => WHOLE * below / max_price,
        _ => (u128::from(WHOLE) * u128::from(below) / u128::from(max_price)) as u64,
    }
}

/// The largest maximum price whose price part is worked out in 64 bits.
const LARGEST_IN_64_BITS: u64 = u64::MAX / WHOLE;

/// The weighed parts that do not depend on the job: reputation (grows with it) and load (shrinks as
/// jobs in flight grow).
#[inline]
pub fn standing(reputation: u16, active_jobs: u32) -> u64 {
    let reputation_part = u64::from(reputation).min(WHOLE);
    let load_part = WHOLE / (1 + u64::from(active_jobs));
    30 * reputation_part + 10 * load_part
}

/// Mean share of the provider's free capacity the job takes, over the resources it asks for.
#[inline]
pub fn fit(requirements: &Resources, free: &Resources) -> u64 {
    let pairs = [
        (u64::from(requirements.cpu_cores), u64::from(free.cpu_cores)),
        (u64::from(requirements.ram_gb), u64::from(free.ram_gb)),
        (u64::from(requirements.storage_gb), u64::from(free.storage_gb)),
        (u64::from(requirements.gpus), u64::from(free.gpus)),
    ];
    let (sum, asked) = pairs
        .iter()
        .filter(|(asked, _)| *asked > 0)
        .fold((0, 0), |(sum, n), (asked, free)| (sum + WHOLE * asked / (*free).max(*asked), n + 1));
    sum.checked_div(asked).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOB: Resources = Resources { cpu_cores: 4, ram_gb: 8, storage_gb: 0, gpus: 0 };

    #[test]
    fn parts_weigh_as_documented() {
        let snug = Resources { cpu_cores: 4, ram_gb: 8, storage_gb: 50, gpus: 0 };
        // Free price (0), top reputation, perfect fit, idle: every part whole.
        assert_eq!(score(0, 100, 10_000, &JOB, &snug, 0), 10_000);
        // Price at the maximum and reputation 0: fit and load only.
        assert_eq!(score(100, 100, 0, &JOB, &snug, 0), 3_000);
        // Half the price: +2,000; one job in flight halves load: -500.
        assert_eq!(score(50, 100, 0, &JOB, &snug, 1), 2_000 + 2_000 + 500);
    }

    #[test]
    fn fit_prefers_the_snugger_provider() {
        let big = Resources { cpu_cores: 64, ram_gb: 256, storage_gb: 0, gpus: 0 };
        let small = Resources { cpu_cores: 8, ram_gb: 16, storage_gb: 0, gpus: 0 };
        assert!(fit(&JOB, &small) > fit(&JOB, &big));
        assert_eq!(fit(&JOB, &small), 5_000);
        assert_eq!(fit(&Resources::default(), &small), 0);
    }

    #[test]
    fn cheaper_wins_when_all_else_is_equal() {
        let free = Resources { cpu_cores: 8, ram_gb: 16, storage_gb: 0, gpus: 0 };
        assert!(score(10, 100, 5_000, &JOB, &free, 0) > score(20, 100, 5_000, &JOB, &free, 0));
    }
}
