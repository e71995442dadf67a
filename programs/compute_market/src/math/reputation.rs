//! The reputation score, 0..=10,000: a pure function of a provider's record, weighed by the value of
//! work and by how many distinct clients paid for it.
//!
//! Work is counted in units of REPUTATION_UNIT_LAMPORTS (0.01 SOL) of value: a paid job weighs what
//! the client paid for it (token jobs at the mint's reference value), a failed job or a lost dispute
//! what its escrow held (at least one unit). Work worth less than one unit is not counted at all.
//!
//! - reliability = 10,000 x (delivered + P) / (delivered + failed + lost + 2P), with a prior P of
//!   PRIOR_UNITS on each side: a new provider starts at 5,000, and one small job moves it gently;
//! - quality = 10,000 x (mean rating - 1) / 4, the mean taken as if two 3-star ratings came first;
//! - raw = (7 x reliability + 3 x quality) / 10;
//! - breadth: above the neutral 5,000, only min(counterparties, FULL_TRUST_CLIENTS) / FULL_TRUST_CLIENTS
//!   of the gain counts. Below it, the loss counts in full.
//!
//! Properties (tested below): a new provider scores 5,000; more delivered value never lowers the score
//! and more failed or lost value never raises it; more distinct clients never lower it; a provider paid
//! by one client alone stays within a fifth of the way from 5,000 to 10,000; the score never exceeds
//! 10,000. Farming a score therefore costs the fee on real value, paid through at least
//! FULL_TRUST_CLIENTS client profiles and pair records, and a record survives close and re-registration.

use crate::constants::MAX_REPUTATION;

/// The record the score is computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReputationInputs {
    pub delivered_units: u64,
    pub failed_units: u64,
    pub lost_units: u64,
    /// Sum of 1..=5 star ratings given with counted work.
    pub rating_sum: u64,
    pub rating_count: u64,
    /// Distinct clients that paid for counted work.
    pub counterparties: u64,
}

/// Delivered and failed value assumed before any record: 100 units, 1 SOL of work, on each side.
pub const PRIOR_UNITS: u128 = 100;
/// Distinct paying clients from which a gain in reputation counts in full.
pub const FULL_TRUST_CLIENTS: u64 = 5;
const PRIOR_RATINGS: u128 = 2;
const PRIOR_STARS: u128 = 3;
const RELIABILITY_WEIGHT: u128 = 7;
const QUALITY_WEIGHT: u128 = 3;
const NEUTRAL: u128 = MAX_REPUTATION as u128 / 2;

pub fn reputation_score(inputs: &ReputationInputs) -> u16 {
    let full = u128::from(MAX_REPUTATION);
    let delivered = u128::from(inputs.delivered_units);
    let outcomes = delivered + u128::from(inputs.failed_units) + u128::from(inputs.lost_units) + 2 * PRIOR_UNITS;
    let reliability = full * (delivered + PRIOR_UNITS) / outcomes;

    let ratings = u128::from(inputs.rating_count) + PRIOR_RATINGS;
    let stars = u128::from(inputs.rating_sum) + PRIOR_RATINGS * PRIOR_STARS;
    // (stars / ratings - 1) / 4, kept in integers; stars >= ratings because every rating is >= 1.
    let quality = (full * stars.saturating_sub(ratings) / (4 * ratings)).min(full);

    let raw = (RELIABILITY_WEIGHT * reliability + QUALITY_WEIGHT * quality) / (RELIABILITY_WEIGHT + QUALITY_WEIGHT);
    let score = if raw > NEUTRAL {
        let breadth = u128::from(inputs.counterparties.min(FULL_TRUST_CLIENTS));
        NEUTRAL + (raw - NEUTRAL) * breadth / u128::from(FULL_TRUST_CLIENTS)
    } else {
        raw
    };
    // Both parts are at most `full`, so the weighted mean is too.
    score.min(full) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(delivered: u64, failed: u64, lost: u64, rating_sum: u64, rating_count: u64, clients: u64) -> ReputationInputs {
        ReputationInputs {
            delivered_units: delivered,
            failed_units: failed,
            lost_units: lost,
            rating_sum,
            rating_count,
            counterparties: clients,
        }
    }

    fn score(delivered: u64, failed: u64, lost: u64, rating_sum: u64, rating_count: u64, clients: u64) -> u16 {
        reputation_score(&inputs(delivered, failed, lost, rating_sum, rating_count, clients))
    }

    #[test]
    fn new_provider_is_neutral() {
        assert_eq!(score(0, 0, 0, 0, 0, 0), 5_000);
        assert_eq!(reputation_score(&ReputationInputs::default()), 5_000);
    }

    #[test]
    fn known_values() {
        // 1 SOL delivered to 5 clients, all 5 stars: reliability 10,000 x 200/300 = 6,666;
        // quality 10,000 x (25+6-7)/(4x7) = 8,571; raw (46,662 + 25,713) / 10 = 7,237.
        assert_eq!(score(100, 0, 0, 25, 5, 5), 7_237);
        // The same for one client: a fifth of the gain.
        assert_eq!(score(100, 0, 0, 25, 5, 1), 5_000 + 2_237 / 5);
        // 1 SOL failed: reliability 10,000 x 100/300 = 3,333; quality neutral 5,000; in full.
        assert_eq!(score(0, 100, 0, 0, 0, 0), 3_833);
    }

    #[test]
    fn value_and_breadth_move_the_score_the_right_way() {
        let cases = [0u64, 1, 2, 7, 50, 100, 1_000, 100_000];
        for &d in &cases {
            for &f in &cases {
                for clients in 0..7 {
                    let base = score(d, f, 3, 4 * d.min(50), d.min(50), clients);
                    assert!(score(d + 1, f, 3, 4 * d.min(50), d.min(50), clients) >= base, "more delivered");
                    assert!(score(d, f + 1, 3, 4 * d.min(50), d.min(50), clients) <= base, "more failed");
                    assert!(score(d, f, 4, 4 * d.min(50), d.min(50), clients) <= base, "more lost");
                    assert!(score(d, f, 3, 4 * d.min(50), d.min(50), clients + 1) >= base, "more clients");
                }
            }
        }
    }

    #[test]
    fn one_client_cannot_farm_a_high_score() {
        // Any amount of perfect work paid by a single client.
        for delivered in [1u64, 100, 10_000, u64::MAX / 2] {
            let farmed = score(delivered, 0, 0, 5 * 1_000, 1_000, 1);
            assert!(farmed <= 5_000 + 5_000 / 5, "{farmed}");
        }
        // Breadth never shields failures.
        assert_eq!(score(0, 100, 0, 0, 0, 0), score(0, 100, 0, 0, 0, 100));
    }

    #[test]
    fn extremes_stay_in_range() {
        assert!(score(u64::MAX, 0, 0, u64::MAX, u64::MAX / 5, u64::MAX) >= 9_990);
        assert!(score(0, u64::MAX, u64::MAX, 0, 0, 0) < 1_600);
        assert!(score(u64::MAX, u64::MAX, u64::MAX, u64::MAX, u64::MAX, u64::MAX) <= MAX_REPUTATION);
    }
}
