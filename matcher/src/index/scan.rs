//! A quick upper bound on each member's score for a job, worked out a leaf at a time in single
//! precision over columns (one value per member, in the members' order), so that a search weighs exactly
//! (`best::evaluate`: 128-bit prices, integer divisions) only the members that might rank among the
//! best, and can afford leaves large enough to be few.
//!
//! # Why it bounds
//!
//! The score is `floor((35 x price part + standing + 15 x fit + 15 x bond part) / 100)`, each part
//! itself rounded down. Without the roundings every part only grows, so the same sum over the real
//! parts bounds the score:
//!
//! `(35 x 10,000 x (1 - price / max) + standing + 15 x 10,000 x mean(min(1, asked / free)) + 15 x
//! min(10,000, 10,000 x bond / (24 x max))) / 100`.
//!
//! Worked out in `f32` (every input rounded to the nearest, every step correct to a relative 2^-24),
//! it is off by far less than 0.1 on a sum below 10,000; `SLACK` (1) covers that, so a member whose
//! bound plus `SLACK` is below a score cannot reach it. The column tests (free capacity, reputation,
//! bond, price within the maximum) only turn away members the exact tests turn away: a conversion
//! to `f32` keeps the order of integers (`a <= b` gives `f32(a) <= f32(b)`), and the price and room
//! tests allow for rounding (of the price's sum; of `asked x (1 / free)`, compared with 1). A member
//! that left the tree has nothing free in its columns: a job asking for anything is turned away.

use compute_market::state::{Rates, Resources};

use crate::plan::OpenJob;
use crate::score::{standing, BOND_COVER_HOURS};

/// What the single-precision bound may be below the real one, at most (in score points).
pub(crate) const SLACK: f32 = 1.0;

/// Turned away by the column tests.
pub(crate) const NONE: f32 = f32::NEG_INFINITY;

/// The members' columns, in the tree's member order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Columns {
    /// `1 / free` of each resource (cores, RAM, storage, GPUs); `NOTHING_FREE` for none, and in each
    /// once a member left.
    inverse_free: [Vec<f32>; 4],
    /// Rates (per core, per GB of RAM, per GB of storage, per GPU).
    rates: [Vec<f32>; 4],
    standing: Vec<f32>,
    reputation: Vec<f32>,
    bond: Vec<f32>,
}

/// One member's values, as a tree lays them out.
pub(crate) struct Row {
    pub free: Resources,
    pub rates: Rates,
    pub reputation: u16,
    pub active_jobs: u32,
    pub bond: u64,
}

impl Columns {
    pub fn push(&mut self, row: &Row) {
        let free = resources(&row.free);
        let rates = [row.rates.per_core, row.rates.per_gb_ram, row.rates.per_gb_storage, row.rates.per_gpu];
        for r in 0..4 {
            self.inverse_free[r].push(if free[r] > 0.0 { 1.0 / free[r] } else { NOTHING_FREE });
            self.rates[r].push(rates[r] as f32);
        }
        self.standing.push(standing(row.reputation, row.active_jobs) as f32);
        self.reputation.push(f32::from(row.reputation));
        self.bond.push(row.bond as f32);
    }

    /// The member at `position` left the tree: no job asking for anything fits in it any more (and
    /// exact weighing turns it away from the others: `tree::Member::live`).
    pub fn remove(&mut self, position: usize) {
        for r in 0..4 {
            self.inverse_free[r][position] = NOTHING_FREE;
        }
    }

    /// Each member's bound for `job` (`Terms`) among `lo..hi`, into `out` (as many); `NONE` for one
    /// the column tests turn away. With 256-bit vectors where the processor has them (the build
    /// targets every x86_64, whose vectors are 128 bits): the same operations, twice the members at once.
    #[inline]
    pub fn bounds(&self, terms: &Terms, lo: usize, hi: usize, out: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            return unsafe { self.bounds_avx2(terms, lo, hi, out) };
        }
        self.bounds_here(terms, lo, hi, out)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn bounds_avx2(&self, terms: &Terms, lo: usize, hi: usize, out: &mut [f32]) {
        self.bounds_here(terms, lo, hi, out)
    }

    #[inline(always)]
    fn bounds_here(&self, terms: &Terms, lo: usize, hi: usize, out: &mut [f32]) {
        let n = hi - lo;
        fn col(c: &[f32], lo: usize, hi: usize) -> &[f32] {
            &c[lo..hi]
        }
        let (inverse, rates) = (self.inverse_free.each_ref().map(|c| col(c, lo, hi)), self.rates.each_ref().map(|c| col(c, lo, hi)));
        let (standing, reputation, bond) = (col(&self.standing, lo, hi), col(&self.reputation, lo, hi), col(&self.bond, lo, hi));
        let out = &mut out[..n];
        let asked = &terms.asked;
        // The tests without branches: the loop runs several members at once.
        for i in 0..n {
            let price = asked[0] * rates[0][i] + asked[1] * rates[1][i] + asked[2] * rates[2][i] + asked[3] * rates[3][i];
            // How much of each free resource the job takes: 0 of one it does not ask for, at most 1
            // (but for rounding) of one it fits in.
            let taken = [asked[0] * inverse[0][i], asked[1] * inverse[1][i], asked[2] * inverse[2][i], asked[3] * inverse[3][i]];
            let fit = taken[0].min(1.0) * terms.counted[0] + taken[1].min(1.0) * terms.counted[1] + taken[2].min(1.0) * terms.counted[2] + taken[3].min(1.0) * terms.counted[3];
            let bound = terms.whole_price - terms.per_price * price + standing[i] + terms.per_fit * fit + (terms.per_bond * bond[i]).min(150_000.0);
            let fits = (taken[0] <= FITS) & (taken[1] <= FITS) & (taken[2] <= FITS) & (taken[3] <= FITS);
            let able = fits & (reputation[i] >= terms.min_reputation) & (bond[i] >= terms.min_bond) & (price <= terms.max_price);
            out[i] = if able { bound * 0.01 } else { NONE };
        }
    }
}

/// `1 / free` where nothing is free: large enough that a job asking for any of it takes more than
/// `FITS`, small enough that it stays finite (0 times it is 0).
const NOTHING_FREE: f32 = (1u64 << 40) as f32;

/// A share of a free resource above which a job surely does not fit: `asked x (1 / free)` is within a
/// relative 2^-23 of `asked / free` (as `f32`s, whose order is the integers'), at most 1 when it fits.
const FITS: f32 = 1.0 + 1e-6;

/// What a job's bounds are worked out from, once per search.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Terms {
    asked: [f32; 4],
    /// 1 for the resources the job asks for, else 0.
    counted: [f32; 4],
    /// 35 x 10,000 for a job with a maximum price, else 0.
    whole_price: f32,
    /// 35 x 10,000 / maximum price (0 without one).
    per_price: f32,
    /// 15 x 10,000 / the number of resources asked for.
    per_fit: f32,
    /// 15 x 10,000 / (24 x maximum price) (0 without one).
    per_bond: f32,
    min_reputation: f32,
    min_bond: f32,
    /// The largest single-precision price that may be within the maximum.
    max_price: f32,
}

impl Terms {
    pub fn of(job: &OpenJob) -> Terms {
        let asked = resources(&job.requirements);
        let counted = asked.map(|a| if a > 0.0 { 1.0 } else { 0.0 });
        let n: f32 = counted.iter().sum();
        let max = job.max_price_per_hour as f64;
        let (whole_price, per_price, per_bond) = match job.max_price_per_hour {
            0 => (0.0, 0.0, 0.0),
            _ => (350_000.0, (350_000.0 / max) as f32, (150_000.0 / (BOND_COVER_HOURS as f64 * max)) as f32),
        };
        Terms {
            asked,
            counted,
            whole_price,
            per_price,
            per_fit: if n > 0.0 { 150_000.0 / n } else { 0.0 },
            per_bond,
            min_reputation: f32::from(job.min_reputation),
            min_bond: job.min_bond as f32,
            // The sum of four products, each rounded, is within a relative 2^-21 of the exact one.
            max_price: (max * (1.0 + 1e-5)) as f32,
        }
    }
}

impl Terms {
    /// A bound in whole points on the score of any provider with at most `backing` (standing and
    /// weighed bond part, `backing`), at least `cheapest` as its price and `min_free` free: what a
    /// node's extremes bound its members by.
    #[inline]
    pub fn bound(&self, cheapest: u64, backing: u32, min_free: &Resources) -> u64 {
        let free = resources(min_free);
        let share = |r: usize| (self.asked[r] / free[r].max(1.0)).min(1.0) * self.counted[r];
        let fit = share(0) + share(1) + share(2) + share(3);
        let price = cheapest as f32;
        let bound = self.whole_price - self.per_price * price + backing as f32 + self.per_fit * fit;
        // Never below 0 (a price above the maximum leaves the price part at 0 in the score).
        (bound * 0.01 + SLACK).max(0.0) as u64
    }
}

fn resources(r: &Resources) -> [f32; 4] {
    [f32::from(r.cpu_cores), r.ram_gb as f32, r.storage_gb as f32, f32::from(r.gpus)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_market::math::pricing::hourly_price;
    use compute_market::state::GpuNeeds;

    use crate::score::score;

    /// A small deterministic generator (64-bit LCG).
    struct Seeded(u64);

    impl Seeded {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }

        fn pick(&mut self, items: &[u64]) -> u64 {
            items[self.below(items.len() as u64) as usize]
        }
    }

    fn row(rng: &mut Seeded) -> Row {
        let amounts = [0, 1, 2, 7, 64, 1_000, 65_535, 1 << 24, (1 << 24) + 1, u32::MAX as u64];
        let rates = [0, 1, 3, 999_999, 1_000_000_007, u64::MAX / 3, u64::MAX];
        Row {
            free: Resources {
                cpu_cores: rng.pick(&amounts[..7]) as u16,
                ram_gb: rng.pick(&amounts) as u32,
                storage_gb: rng.pick(&amounts) as u32,
                gpus: rng.pick(&amounts[..7]) as u16,
            },
            rates: Rates { per_core: rng.pick(&rates), per_gb_ram: rng.pick(&rates), per_gb_storage: rng.pick(&rates), per_gpu: rng.pick(&rates) },
            reputation: rng.pick(&[0, 1, 5_000, 9_999, 10_000, u16::MAX as u64]) as u16,
            active_jobs: rng.pick(&[0, 1, 3, u32::MAX as u64]) as u32,
            bond: rng.pick(&[0, 1, 23, 24_000, 1 << 40, u64::MAX]),
        }
    }

    fn job(rng: &mut Seeded) -> OpenJob {
        let asked = [0, 1, 2, 7, 64, 1_000, (1 << 24) + 1];
        OpenJob {
            address: Default::default(),
            client: Default::default(),
            requirements: Resources {
                cpu_cores: rng.pick(&asked[..5]) as u16,
                ram_gb: rng.pick(&asked) as u32,
                storage_gb: rng.pick(&asked) as u32,
                gpus: rng.pick(&asked[..4]) as u16,
            },
            max_price_per_hour: rng.pick(&[0, 1, 1_000, 999_999_999, u64::MAX / 10_000, u64::MAX / 10_000 + 1, u64::MAX]),
            min_reputation: rng.pick(&[0, 1, 5_000, 10_000]) as u16,
            target: None,
            payment_mint: None,
            gpu: GpuNeeds::default(),
            released_by: vec![],
            min_bond: rng.pick(&[0, 1, 24_000, u64::MAX]),
        }
    }

    /// What the exhaustive scan finds of a member: its score, if it passes the tests the columns stand for.
    fn exact(row: &Row, job: &OpenJob) -> Option<u64> {
        let price = hourly_price(&row.rates, &job.requirements)?;
        let passes = job.requirements.fits_in(&row.free) && row.reputation >= job.min_reputation && row.bond >= job.min_bond && price <= job.max_price_per_hour;
        passes.then(|| score(price, job.max_price_per_hour, row.reputation, &job.requirements, &row.free, row.active_jobs, row.bond))
    }

    #[test]
    fn a_member_that_passes_the_exact_tests_is_bounded_from_above() {
        let mut rng = Seeded(5);
        let rows: Vec<Row> = (0..400).map(|_| row(&mut rng)).collect();
        let mut columns = Columns::default();
        rows.iter().for_each(|r| columns.push(r));
        let mut passed = 0;
        for _ in 0..2_000 {
            let job = job(&mut rng);
            let terms = Terms::of(&job);
            let mut bounds = vec![0.0; rows.len()];
            columns.bounds(&terms, 0, rows.len(), &mut bounds);
            // Whatever vectors the processor has, the same bounds.
            let mut portable = vec![0.0; rows.len()];
            columns.bounds_here(&terms, 0, rows.len(), &mut portable);
            assert!(bounds.iter().zip(&portable).all(|(a, b)| a.to_bits() == b.to_bits()));
            for (r, bound) in rows.iter().zip(&bounds) {
                if let Some(score) = exact(r, &job) {
                    passed += 1;
                    assert!(*bound != NONE && bound + SLACK >= score as f32, "{score} above {bound} for {job:?}");
                    // A node of this member alone bounds it too.
                    let price = hourly_price(&r.rates, &job.requirements).expect("priced");
                    let backing = standing(r.reputation, r.active_jobs) + 15 * crate::score::bond_part(r.bond, job.max_price_per_hour);
                    assert!(terms.bound(price, backing as u32, &r.free) >= score);
                }
            }
        }
        assert!(passed > 1_000, "only {passed} members passed");
    }

    #[test]
    fn a_member_that_left_is_turned_away() {
        let mut rng = Seeded(9);
        let mut columns = Columns::default();
        let first = Row { free: Resources { cpu_cores: 8, ram_gb: 8, storage_gb: 8, gpus: 0 }, ..row(&mut rng) };
        columns.push(&first);
        columns.push(&first);
        columns.remove(0);
        let asking_a_core = OpenJob {
            requirements: Resources { cpu_cores: 1, ..Resources::default() },
            max_price_per_hour: u64::MAX,
            min_reputation: 0,
            min_bond: 0,
            ..job(&mut rng)
        };
        let mut bounds = [0.0; 2];
        columns.bounds(&Terms::of(&asking_a_core), 0, 2, &mut bounds);
        assert_eq!(bounds[0], NONE);
        assert_ne!(bounds[1], NONE);
    }
}
