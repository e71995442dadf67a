//! What a provider puts behind a job whatever its price: its standing (reputation and load) plus its
//! weighed bond part, `score::standing + 15 x score::bond_part`. The bond part depends on the job's
//! maximum price, so a tree's node keeps the most of it over its live members at a few maximum prices
//! (`Backing::prices`, quantiles of the round's jobs priced that way), and a job is bounded at the
//! largest of them not above its own: the bond part only shrinks as the maximum price grows (from 1 up;
//! at 0 it is 0). Bounding the sum over a node, rather than the most standing plus the bond part of the
//! largest bond, keeps a node whose reputable providers are not the bonded ones from bounding as if
//! they were.

use crate::score::{bond_part, standing};

/// Maximum prices a node's backing is kept at.
pub(crate) const CLASSES: usize = 8;

#[derive(Clone, Debug)]
pub(crate) struct Backing {
    /// Ascending; the first is 1, which bounds every job asking any price.
    prices: [u64; CLASSES],
}

impl Backing {
    /// Classes for jobs asking `max_prices` (in any order).
    pub fn for_prices(mut max_prices: Vec<u64>) -> Backing {
        max_prices.retain(|&price| price > 1);
        max_prices.sort_unstable();
        let mut prices = [1; CLASSES];
        if !max_prices.is_empty() {
            for (k, price) in prices.iter_mut().enumerate().skip(1) {
                *price = max_prices[(k - 1) * max_prices.len() / (CLASSES - 1)];
            }
        }
        Backing { prices }
    }

    /// The class a job asking `max_price` is bounded at: the largest price not above it (the first for
    /// a price of 0, whose bond part is 0).
    #[inline]
    pub fn class_of(&self, max_price: u64) -> usize {
        self.prices.partition_point(|&price| price <= max_price).saturating_sub(1)
    }

    /// A provider's backing at each class.
    #[inline]
    pub fn values(&self, reputation: u16, active_jobs: u32, bond: u64) -> [u32; CLASSES] {
        let standing = standing(reputation, active_jobs);
        // At most 25 x 10,000 + 10 x 10,000 + 15 x 10,000.
        self.prices.map(|price| (standing + 15 * bond_part(bond, price)) as u32)
    }

    /// A provider's backing at the middle class: what a tree splits on.
    pub fn typical(&self, reputation: u16, active_jobs: u32, bond: u64) -> u64 {
        standing(reputation, active_jobs) + 15 * bond_part(bond, self.prices[CLASSES / 2])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_bounded_at_the_largest_class_not_above_its_price() {
        let backing = Backing::for_prices((1..=700).map(|p| p * 10).collect());
        assert_eq!(backing.prices, [1, 10, 1_010, 2_010, 3_010, 4_010, 5_010, 6_010]);
        assert_eq!(backing.class_of(0), 0);
        assert_eq!(backing.class_of(9), 0);
        assert_eq!(backing.class_of(10), 1);
        assert_eq!(backing.class_of(1_009), 1);
        assert_eq!(backing.class_of(u64::MAX), CLASSES - 1);
        // Without jobs every class bounds every price.
        assert_eq!(Backing::for_prices(vec![]).class_of(5_000), CLASSES - 1);
    }

    #[test]
    fn the_backing_of_a_class_bounds_every_price_above_it() {
        let backing = Backing::for_prices(vec![100, 1_000, 10_000, 100_000, u64::MAX]);
        for bond in [0, 1, 2_399, 24_000, 2_400_000, u64::MAX] {
            for max_price in [0, 1, 99, 100, 5_000, 1_000_000, u64::MAX / 7, u64::MAX] {
                let class = backing.class_of(max_price);
                let exact = standing(7_000, 2) + 15 * bond_part(bond, max_price);
                assert!(u64::from(backing.values(7_000, 2, bond)[class]) >= exact, "bond {bond}, price {max_price}");
            }
        }
    }
}
