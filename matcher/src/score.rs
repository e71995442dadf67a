//! How the matcher ranks the providers that can take a job. Each part is in basis points (0..=10,000):
//!
//! - price (weight 35%): how far below the job's maximum the provider's price is,
//!   `10,000 x (max - price) / max`; the cheaper, the better for the client;
//! - reputation (25%): the provider's on-chain reputation score as it is;
//! - bond (15%): how much of a day of the job its free bond in the job's currency covers,
//!   `min(10,000, 10,000 x free bond / cover)` with `cover = 24 x the job's maximum price per hour` (in
//!   the job's currency, so a lamport bond backs lamport jobs and a token bond jobs paid in its token);
//!   no cover (a maximum price of 0) makes it 0. The value a provider puts at risk of being slashed, as
//!   a share of what the client may spend in a day: a bond covering a day of the job or more counts
//!   whole. It is weighed whether or not the job asks for a minimum bond (`Job::min_bond`, which only
//!   decides who may take it), and before that minimum is locked: a bond that qualifies ranks by all of it;
//! - capacity fit (15%): the mean, over the resources the job asks for, of `asked / free`; a job goes
//!   to the provider it fills most snugly, keeping large free blocks for large jobs (best fit);
//! - load (10%): `10,000 / (1 + jobs in flight)`; spreads work over idle providers.
//!
//! score = (35 x price + 25 x reputation + 15 x bond + 15 x fit + 10 x load) / 100, rounded down. Ties
//! go to the lower price, then to the lower provider address, so the ranking is deterministic.
//!
//! Every part only grows with reputation and free bond, and only shrinks with price, free capacity and
//! jobs in flight: the providers' index bounds a subtree's scores by its extremes (`index`).

use compute_market::state::Resources;

const WHOLE: u64 = 10_000;

/// Hours of the job's maximum price a bond must cover to count whole.
pub const BOND_COVER_HOURS: u64 = 24;

/// A provider's score for one job (whose maximum price is `max_price`); the larger, the better.
#[inline]
pub fn score(price: u64, max_price: u64, reputation: u16, requirements: &Resources, free: &Resources, active_jobs: u32, bond: u64) -> u64 {
    score_of(price_part(price, max_price), standing(reputation, active_jobs), fit(requirements, free), bond_part(bond, max_price))
}

/// The score from its parts: `price_part`, `standing` (already weighed), `fit` and `bond_part`. It grows
/// with each.
#[inline]
pub fn score_of(price_part: u64, standing: u64, fit: u64, bond_part: u64) -> u64 {
    (35 * price_part + standing + 15 * fit + 15 * bond_part) / 100
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

/// How much of `BOND_COVER_HOURS` at the job's maximum price `bond` covers, in basis points, at most
/// whole; 0 for a maximum price of 0. Grows with the bond.
#[inline]
pub fn bond_part(bond: u64, max_price: u64) -> u64 {
    // In 64 bits when nothing overflows there (the search works this out for every subtree it weighs).
    if let (Some(cover), Some(scaled)) = (BOND_COVER_HOURS.checked_mul(max_price), WHOLE.checked_mul(bond)) {
        return match cover {
            0 => 0,
            _ if bond >= cover => WHOLE,
            _ => scaled / cover,
        };
    }
    let cover = u128::from(BOND_COVER_HOURS) * u128::from(max_price);
    if cover == 0 || u128::from(bond) >= cover {
        return if cover == 0 { 0 } else { WHOLE };
    }
    // bond < cover here, so the quotient is below 10,000.
    (u128::from(WHOLE) * u128::from(bond) / cover) as u64
}

/// The weighed parts that do not depend on the job: reputation (grows with it) and load (shrinks as
/// jobs in flight grow).
#[inline]
pub fn standing(reputation: u16, active_jobs: u32) -> u64 {
    let reputation_part = u64::from(reputation).min(WHOLE);
    let load_part = WHOLE / (1 + u64::from(active_jobs));
    25 * reputation_part + 10 * load_part
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
        // Free price (0), top reputation, a bond covering a day at the maximum (24 x 100), perfect fit,
        // idle: every part whole.
        assert_eq!(score(0, 100, 10_000, &JOB, &snug, 0, 2_400), 10_000);
        // Price at the maximum, reputation 0 and no bond: fit and load only.
        assert_eq!(score(100, 100, 0, &JOB, &snug, 0, 0), 2_500);
        // Half the price: +1,750; one job in flight halves load: -500.
        assert_eq!(score(50, 100, 0, &JOB, &snug, 1, 0), 1_750 + 1_500 + 500);
        // Reputation 5,000: +1,250; half a day covered: +750.
        assert_eq!(score(50, 100, 5_000, &JOB, &snug, 1, 1_200), 1_750 + 1_250 + 750 + 1_500 + 500);
        // A bond above the cover counts whole, no more.
        assert_eq!(score(50, 100, 5_000, &JOB, &snug, 1, 1_000_000), 1_750 + 1_250 + 1_500 + 1_500 + 500);
    }

    #[test]
    fn the_bond_part_is_the_share_of_a_day_at_the_maximum_price_covered() {
        assert_eq!(bond_part(0, 1_000), 0);
        assert_eq!(bond_part(6_000, 1_000), 2_500, "a quarter of 24,000");
        assert_eq!(bond_part(23_999, 1_000), 9_999, "rounded down");
        assert_eq!(bond_part(24_000, 1_000), 10_000);
        assert_eq!(bond_part(u64::MAX, 1_000), 10_000);
        assert_eq!(bond_part(u64::MAX, 0), 0, "no cover: nothing to weigh");
        // A maximum near u64::MAX: the cover is worked out in 128 bits.
        assert_eq!(bond_part(u64::MAX, u64::MAX), 10_000 / 24);
        // Grows with the bond: what the index's bounds rely on.
        assert!((0..100u64).map(|b| bond_part(b * 250, 1_000)).collect::<Vec<_>>().windows(2).all(|w| w[0] <= w[1]));
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
        assert!(score(10, 100, 5_000, &JOB, &free, 0, 0) > score(20, 100, 5_000, &JOB, &free, 0, 0));
    }

    #[test]
    fn a_larger_bond_outweighs_a_slightly_higher_price() {
        let free = Resources { cpu_cores: 8, ram_gb: 16, storage_gb: 0, gpus: 0 };
        // 10% dearer (-350) but a full day covered instead of none (+1,500).
        assert!(score(20, 100, 5_000, &JOB, &free, 0, 2_400) > score(10, 100, 5_000, &JOB, &free, 0, 0));
    }
}
