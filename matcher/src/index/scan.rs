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
//! that left the tree is below every reputation floor in its columns: every job is turned away.

use compute_market::state::{Rates, Resources};

use crate::index::tree::LEAF;
#[cfg(target_arch = "x86_64")]
use crate::index::wide;
use crate::plan::OpenJob;
use crate::score::{standing, BOND_COVER_HOURS};

/// What the single-precision bound may be below the real one, at most (in score points).
pub(crate) const SLACK: f32 = 1.0;

/// Turned away by the column tests.
pub(crate) const NONE: f32 = f32::NEG_INFINITY;

/// The members' values as columns, laid out leaf by leaf: a block of `LEAF` slots for each leaf (a
/// column's values for the leaf's members, in the members' order, then the next column's), so that a
/// leaf's values are read in one sweep of neighbouring cache lines. Slots past a leaf's members, and
/// members that left, are below every reputation floor: turned away.
#[derive(Clone, Debug, Default)]
pub(crate) struct Columns {
    values: Vec<f32>,
}

/// Where each column starts in a leaf's block, in slots: `1 / free` of each resource (cores, RAM,
/// storage, GPUs; `NOTHING_FREE` for none), the rates (per core, per GB of RAM, per GB of storage, per
/// GPU), standing, reputation, free bond.
const INVERSE_FREE: usize = 0;
const RATES: usize = 4 * LEAF;
const STANDING: usize = 8 * LEAF;
const REPUTATION: usize = 9 * LEAF;
const BOND: usize = 10 * LEAF;
const BLOCK: usize = 11 * LEAF;

/// The reputation of an empty slot or a member that left: below every floor.
const GONE: f32 = -1.0;

/// One member's values, as a tree lays them out.
pub(crate) struct Row {
    pub free: Resources,
    pub rates: Rates,
    pub reputation: u16,
    pub active_jobs: u32,
    pub bond: u64,
}

impl Columns {
    /// The columns of `rows` (in the members' order) for leaves of `leaves` (ranges of rows, in order,
    /// at most `LEAF` each).
    pub fn of(rows: &[Row], leaves: &[(u32, u32)]) -> Columns {
        let mut values = vec![0.0; leaves.len() * BLOCK];
        for (leaf, &(lo, hi)) in leaves.iter().enumerate() {
            let block = &mut values[leaf * BLOCK..(leaf + 1) * BLOCK];
            block[REPUTATION..REPUTATION + LEAF].fill(GONE);
            for (slot, row) in rows[lo as usize..hi as usize].iter().enumerate() {
                let inverse = inverse_free(&row.free);
                let rates = [row.rates.per_core, row.rates.per_gb_ram, row.rates.per_gb_storage, row.rates.per_gpu];
                for r in 0..4 {
                    block[INVERSE_FREE + r * LEAF + slot] = inverse[r];
                    block[RATES + r * LEAF + slot] = rates[r] as f32;
                }
                block[STANDING + slot] = standing(row.reputation, row.active_jobs) as f32;
                block[REPUTATION + slot] = f32::from(row.reputation);
                block[BOND + slot] = row.bond as f32;
            }
        }
        Columns { values }
    }

    /// Asks for `leaf`'s block to be brought nearer the core.
    #[inline]
    pub fn prefetch(&self, leaf: usize) {
        #[cfg(target_arch = "x86_64")]
        for line in (leaf * BLOCK..(leaf + 1) * BLOCK).step_by(16) {
            // SAFETY: a hint; the address is within the columns.
            unsafe { std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(self.values.as_ptr().add(line).cast()) };
        }
    }

    /// The member in `slot` of `leaf` left the tree: turned away from every job (and exact weighing
    /// turns it away too: `tree::Member::live`).
    pub fn remove(&mut self, leaf: usize, slot: usize) {
        self.values[leaf * BLOCK + REPUTATION + slot] = GONE;
    }

    /// Each slot's bound for `job` (`Terms`) in `leaf`, into `out`; `NONE` for one the column tests
    /// turn away. With 256-bit vectors where the processor has them (the build targets every x86_64,
    /// whose vectors are 128 bits): the same operations, twice the members at once.
    /// The slots whose bound is at least `least` are returned as bits.
    #[inline]
    pub fn bounds(&self, terms: &Terms, leaf: usize, least: f32, out: &mut [f32; LEAF]) -> u32 {
        #[cfg(target_arch = "x86_64")]
        if wide::wide() {
            const { assert!(LEAF == wide::LANES, "a leaf is one vector") };
            let values = &self.values[leaf * BLOCK..(leaf + 1) * BLOCK];
            // SAFETY: the processor has 512-bit vectors, checked just above.
            return unsafe {
                match terms.asked[3] > 0.0 {
                    true => wide::members::<true>(terms, values, LEAF, least, out),
                    false => wide::members::<false>(terms, values, LEAF, least, out),
                }
            };
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            return unsafe { self.bounds_avx2(terms, leaf, least, out) };
        }
        self.bounds_here::<true>(terms, leaf, out);
        at_least(out, least)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn bounds_avx2(&self, terms: &Terms, leaf: usize, least: f32, out: &mut [f32; LEAF]) -> u32 {
        match terms.asked[3] > 0.0 {
            true => self.bounds_here::<true>(terms, leaf, out),
            false => self.bounds_here::<false>(terms, leaf, out),
        }
        at_least(out, least)
    }

    /// Without `GPUS` (for a job asking for none) the GPU columns are not read: they would add 0 to
    /// the price and the fit and pass the room test, so the bounds are the same.
    #[inline(always)]
    fn bounds_here<const GPUS: bool>(&self, terms: &Terms, leaf: usize, out: &mut [f32; LEAF]) {
        let block: &[f32; BLOCK] = self.values[leaf * BLOCK..(leaf + 1) * BLOCK].try_into().expect("a whole block");
        let col = |at: usize| -> &[f32; LEAF] { block[at..at + LEAF].try_into().expect("a whole column") };
        let inverse = [col(INVERSE_FREE), col(INVERSE_FREE + LEAF), col(INVERSE_FREE + 2 * LEAF), col(INVERSE_FREE + 3 * LEAF)];
        let rates = [col(RATES), col(RATES + LEAF), col(RATES + 2 * LEAF), col(RATES + 3 * LEAF)];
        let (standing, reputation, bond) = (col(STANDING), col(REPUTATION), col(BOND));
        let asked = &terms.asked;
        // The tests without branches: the loop runs several members at once.
        for i in 0..LEAF {
            let gpus = |value: f32| if GPUS { asked[3] * value } else { 0.0 };
            let price = asked[0] * rates[0][i] + asked[1] * rates[1][i] + asked[2] * rates[2][i] + gpus(rates[3][i]);
            // How much of each free resource the job takes: 0 of one it does not ask for, at most 1
            // (but for rounding) of one it fits in.
            let taken = [asked[0] * inverse[0][i], asked[1] * inverse[1][i], asked[2] * inverse[2][i], gpus(inverse[3][i])];
            let fit = taken[0].min(1.0) * terms.counted[0] + taken[1].min(1.0) * terms.counted[1] + taken[2].min(1.0) * terms.counted[2] + if GPUS { taken[3].min(1.0) * terms.counted[3] } else { 0.0 };
            let bound = terms.whole_price - terms.per_price * price + standing[i] + terms.per_fit * fit + (terms.per_bond * bond[i]).min(150_000.0);
            let fits = (taken[0] <= FITS) & (taken[1] <= FITS) & (taken[2] <= FITS) & (taken[3] <= FITS);
            let able = fits & (reputation[i] >= terms.min_reputation) & (bond[i] >= terms.min_bond) & (price <= terms.max_price);
            out[i] = if able { bound * 0.01 } else { NONE };
        }
    }
}

/// The slots whose bound is at least `least`, as bits.
#[inline(always)]
pub(crate) fn at_least<const K: usize>(bounds: &[f32; K], least: f32) -> u32 {
    bounds.iter().enumerate().fold(0, |mask, (slot, bound)| mask | (u32::from(*bound >= least) << slot))
}

/// `1 / free` where nothing is free: large enough that a job asking for any of it takes more than
/// `FITS`, small enough that it stays finite (0 times it is 0).
pub(crate) const NOTHING_FREE: f32 = (1u64 << 40) as f32;

/// A share of a free resource above which a job surely does not fit: `asked x (1 / free)` is within a
/// relative 2^-23 of `asked / free` (as `f32`s, whose order is the integers'), at most 1 when it fits.
pub(crate) const FITS: f32 = 1.0 + 1e-6;

/// What a job's bounds are worked out from, once per search.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Terms {
    pub asked: [f32; 4],
    /// 1 for the resources the job asks for, else 0.
    pub counted: [f32; 4],
    /// 35 x 10,000 for a job with a maximum price, else 0.
    pub whole_price: f32,
    /// 35 x 10,000 / maximum price (0 without one).
    pub per_price: f32,
    /// 15 x 10,000 / the number of resources asked for.
    pub per_fit: f32,
    /// 15 x 10,000 / (24 x maximum price) (0 without one).
    pub per_bond: f32,
    pub min_reputation: f32,
    pub min_bond: f32,
    /// The largest single-precision price that may be within the maximum.
    pub max_price: f32,
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

/// `1 / free` of each resource, as the columns hold it: `NOTHING_FREE` for none.
pub(crate) fn inverse_free(free: &Resources) -> [f32; 4] {
    resources(free).map(|f| if f > 0.0 { 1.0 / f } else { NOTHING_FREE })
}

fn resources(r: &Resources) -> [f32; 4] {
    [f32::from(r.cpu_cores), r.ram_gb as f32, r.storage_gb as f32, f32::from(r.gpus)]
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use compute_market::math::pricing::hourly_price;
    use compute_market::state::GpuNeeds;

    use crate::score::score;

    /// A small deterministic generator (64-bit LCG).
    pub(crate) struct Seeded(pub u64);

    impl Seeded {
        pub fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }

        pub(crate) fn pick(&mut self, items: &[u64]) -> u64 {
            items[self.below(items.len() as u64) as usize]
        }
    }

    pub(crate) fn row(rng: &mut Seeded) -> Row {
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

    pub(crate) fn job(rng: &mut Seeded) -> OpenJob {
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
        // Leaves of LEAF, the last one short.
        let leaves: Vec<(u32, u32)> = (0..rows.len()).step_by(LEAF).map(|lo| (lo as u32, (lo + LEAF).min(rows.len()) as u32)).collect();
        let columns = Columns::of(&rows, &leaves);
        let mut passed = 0;
        for _ in 0..2_000 {
            let job = job(&mut rng);
            let terms = Terms::of(&job);
            let mut bounds = vec![];
            for (leaf, (lo, hi)) in leaves.iter().enumerate() {
                let (mut fast, mut portable) = ([0.0; LEAF], [0.0; LEAF]);
                let reaching = columns.bounds(&terms, leaf, 5_000.0, &mut fast);
                // Whatever vectors the processor has, the same bounds.
                columns.bounds_here::<true>(&terms, leaf, &mut portable);
                assert!(fast.iter().zip(&portable).all(|(a, b)| a.to_bits() == b.to_bits()));
                assert_eq!(reaching, at_least(&portable, 5_000.0));
                assert!((0..LEAF).all(|slot| (reaching >> slot & 1 == 1) == (portable[slot] >= 5_000.0)));
                // And with 256-bit vectors, where the processor has wider ones too.
                #[cfg(target_arch = "x86_64")]
                if std::arch::is_x86_feature_detected!("avx2") {
                    let mut narrower = [0.0; LEAF];
                    // SAFETY: the processor has AVX2, checked just above.
                    assert_eq!(unsafe { columns.bounds_avx2(&terms, leaf, 5_000.0, &mut narrower) }, reaching);
                    assert!(narrower.iter().zip(&portable).all(|(a, b)| a.to_bits() == b.to_bits()));
                }
                let members = (hi - lo) as usize;
                assert!(fast[members..].iter().all(|b| *b == NONE), "an empty slot is turned away");
                bounds.extend_from_slice(&fast[..members]);
            }
            for (r, bound) in rows.iter().zip(&bounds) {
                if let Some(score) = exact(r, &job) {
                    passed += 1;
                    assert!(*bound != NONE && bound + SLACK >= score as f32, "{score} above {bound} for {job:?}");
                }
            }
        }
        assert!(passed > 1_000, "only {passed} members passed");
    }

    #[test]
    fn a_member_that_left_is_turned_away() {
        let mut rng = Seeded(9);
        let first = Row { free: Resources { cpu_cores: 8, ram_gb: 8, storage_gb: 8, gpus: 0 }, ..row(&mut rng) };
        let second = Row { ..first };
        let mut columns = Columns::of(&[first, second], &[(0, 2)]);
        columns.remove(0, 0);
        let asking_a_core = OpenJob {
            requirements: Resources { cpu_cores: 1, ..Resources::default() },
            max_price_per_hour: u64::MAX,
            min_reputation: 0,
            min_bond: 0,
            ..job(&mut rng)
        };
        let mut bounds = [0.0; LEAF];
        columns.bounds(&Terms::of(&asking_a_core), 0, NONE, &mut bounds);
        assert_eq!(bounds[0], NONE);
        assert_ne!(bounds[1], NONE);
    }
}
