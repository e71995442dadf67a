//! The reputation score, 0..=10,000, from a provider's track record.
//!
//! score = (7 x reliability + 3 x quality) / 10, where, in basis points,
//! - reliability = 10,000 x (completed + 1) / (completed + failed + disputes_lost + 2): the share of jobs
//!   delivered, smoothed so that a new provider starts at 5,000 and one early result moves it gently;
//! - quality = 10,000 x (mean rating - 1) / 4, with the mean taken as if two 3-star ratings preceded the
//!   real ones (so 5,000 before any rating, 10,000 only in the limit of all 5-star ratings).
//!
//! Properties (unit-tested): a new provider scores 5,000; each completion never lowers reliability and
//! each failure or lost dispute never raises it; the score never exceeds 10,000.

use crate::constants::MAX_REPUTATION;

/// The counters the score is computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReputationInputs {
    pub completed: u64,
    pub failed: u64,
    pub disputes_lost: u64,
    /// Sum of 1..=5 star ratings.
    pub rating_sum: u64,
    pub rating_count: u64,
}

const PRIOR_RATINGS: u128 = 2;
const PRIOR_STARS: u128 = 3;
const RELIABILITY_WEIGHT: u128 = 7;
const QUALITY_WEIGHT: u128 = 3;

pub fn reputation_score(inputs: &ReputationInputs) -> u16 {
    let full = u128::from(MAX_REPUTATION);
    let completed = u128::from(inputs.completed);
    let outcomes = completed + u128::from(inputs.failed) + u128::from(inputs.disputes_lost) + 2;
    let reliability = full * (completed + 1) / outcomes;

    let ratings = u128::from(inputs.rating_count) + PRIOR_RATINGS;
    let stars = u128::from(inputs.rating_sum) + PRIOR_RATINGS * PRIOR_STARS;
    // (stars / ratings - 1) / 4, kept in integers; stars >= ratings because every rating is >= 1.
    let quality = (full * stars.saturating_sub(ratings) / (4 * ratings)).min(full);

    let score = (RELIABILITY_WEIGHT * reliability + QUALITY_WEIGHT * quality) / (RELIABILITY_WEIGHT + QUALITY_WEIGHT);
    // Both parts are at most `full`, so the weighted mean is too.
    score.min(full) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(completed: u64, failed: u64, disputes_lost: u64, rating_sum: u64, rating_count: u64) -> u16 {
        reputation_score(&ReputationInputs { completed, failed, disputes_lost, rating_sum, rating_count })
    }

    #[test]
    fn new_provider_is_neutral() {
        assert_eq!(score(0, 0, 0, 0, 0), 5_000);
    }

    #[test]
    fn known_values() {
        // reliability 10,000 x 2/3 = 6,666; quality 10,000 x (5+6-3)/(4x3) = 6,666.
        assert_eq!(score(1, 0, 0, 5, 1), 6_666);
        // reliability 10,000 x 1/3 = 3,333; quality neutral 5,000.
        assert_eq!(score(0, 1, 0, 0, 0), 3_833);
        // 98 completions with perfect ratings: reliability 9,900, quality 10,000 x 396/400 = 9,900.
        assert_eq!(score(98, 0, 0, 490, 98), 9_900);
    }

    #[test]
    fn completions_raise_and_failures_lower() {
        for completed in 1..50 {
            assert!(score(completed, 3, 1, 0, 0) > score(completed - 1, 3, 1, 0, 0));
        }
        for failed in 1..50 {
            assert!(score(10, failed, 0, 40, 10) <= score(10, failed - 1, 0, 40, 10));
            assert!(score(10, 0, failed, 40, 10) <= score(10, 0, failed - 1, 40, 10));
        }
    }

    #[test]
    fn extremes_stay_in_range() {
        assert!(score(u64::MAX, 0, 0, u64::MAX, u64::MAX / 5) <= MAX_REPUTATION);
        assert_eq!(score(0, u64::MAX, u64::MAX, 0, 0), 1_500);
        assert!(score(u64::MAX, u64::MAX, u64::MAX, u64::MAX, u64::MAX) <= MAX_REPUTATION);
    }
}
