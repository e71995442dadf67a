//! What a search reads above the members: a row per leaf summarising its live members, then a row per
//! `FAN` rows of the level below, up to a level of at most `FAN` rows (`Levels`). Each level is kept
//! as columns, so that a search bounds `FAN` leaves or groups at once, several per instruction, as a
//! leaf bounds its members (`scan`), rather than following a binary tree one node (and one cache
//! miss) at a time.
//!
//! # Why a row bounds its members
//!
//! A row is a member no better than the best of each of its members' values, in the single precision
//! the members' columns hold them in: the least rates, the largest and the least `1 / free` of each
//! resource, the most backing at each class (`backing`: standing and weighed bond part), the most
//! reputation and free bond. Its bound is the members' quick bound (`scan`) worked out from those,
//! with the backing of the job's class for standing plus bond part: every step only grows as an input
//! gets better and rounding keeps that order, so the row's bound is at least the quick bound of every
//! member at those values, which is within `scan::SLACK` of its score. The tests turn a row away only
//! when every member would be: none could fit (the job takes more than `FITS` of the largest free
//! amount), none has the reputation, the bond, or a price within the maximum.
//!
//! Only members that can take matcher jobs count; in a tree of quotes, only those whose quote may be
//! valid at all (no rate above `MAX_RATE_PER_UNIT_HOUR`), each rate of 0 counted as `UNPRICED` (a quote
//! must price every resource a job asks for). A row without such members turns every job away.

use compute_market::constants::MAX_RATE_PER_UNIT_HOUR;
use compute_market::state::Rates;

use crate::index::backing::CLASSES;
use crate::index::scan::{at_least, inverse_free, Terms, FITS, NONE, NOTHING_FREE};
use crate::index::tree::Member;
#[cfg(target_arch = "x86_64")]
use crate::index::wide;

/// Rows of the level below summarised by one row.
pub(crate) const FAN: usize = 32;

/// A rate of 0 in a quote, which prices no job asking for the resource: large enough that such a job's
/// price is above every maximum (`u64::MAX`), small enough that it stays finite in `f32`.
const UNPRICED: f32 = 1e20;

/// One row: the best of each value over the members it summarises.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Row {
    /// `1 / free` of the member with the least free, by resource (what a fit is bounded by).
    inverse_min_free: [f32; 4],
    /// `1 / free` of the member with the most free, by resource (whether any may fit).
    inverse_max_free: [f32; 4],
    min_rates: [f32; 4],
    backing: [f32; CLASSES],
    /// -1 without members, below every job's floor.
    max_reputation: f32,
    max_bond: f32,
}

impl Row {
    /// A row of no members: turns every job away, and changes nothing it is combined with.
    const EMPTY: Row = Row {
        inverse_min_free: [0.0; 4],
        inverse_max_free: [NOTHING_FREE; 4],
        min_rates: [UNPRICED; 4],
        backing: [0.0; CLASSES],
        max_reputation: -1.0,
        max_bond: 0.0,
    };

    /// The row of `members` that are live, take matcher jobs and (`quoted`) quote validly, each with its
    /// backing at every class (`backings`, in the same order).
    pub fn of(members: &[Member], backings: &[[u32; CLASSES]], quoted: bool) -> Row {
        members.iter().zip(backings).filter(|(m, _)| m.live && m.takes_matcher_jobs && (!quoted || within_ceiling(&m.rates))).fold(Row::EMPTY, |row, (m, backing)| {
            let member = Row {
                inverse_min_free: inverse_free(&m.free),
                inverse_max_free: inverse_free(&m.free),
                min_rates: rates(&m.rates, quoted),
                backing: backing.map(|b| b as f32),
                max_reputation: f32::from(m.reputation),
                max_bond: m.bond as f32,
            };
            row.with(&member)
        })
    }

    /// The row of the members of `self` and `other`.
    fn with(&self, other: &Row) -> Row {
        let each = |a: [f32; 4], b: [f32; 4], f: fn(f32, f32) -> f32| std::array::from_fn(|r| f(a[r], b[r]));
        Row {
            inverse_min_free: each(self.inverse_min_free, other.inverse_min_free, f32::max),
            inverse_max_free: each(self.inverse_max_free, other.inverse_max_free, f32::min),
            min_rates: each(self.min_rates, other.min_rates, f32::min),
            backing: std::array::from_fn(|k| self.backing[k].max(other.backing[k])),
            max_reputation: self.max_reputation.max(other.max_reputation),
            max_bond: self.max_bond.max(other.max_bond),
        }
    }
}

/// No rate of the quote is above the ceiling: otherwise it is valid for no job (`Rates::is_valid_for`).
fn within_ceiling(rates: &Rates) -> bool {
    [rates.per_core, rates.per_gb_ram, rates.per_gb_storage, rates.per_gpu].iter().all(|rate| *rate <= MAX_RATE_PER_UNIT_HOUR)
}

/// The rates as the members' columns hold them; in a quote, 0 as `UNPRICED`.
fn rates(rates: &Rates, quoted: bool) -> [f32; 4] {
    [rates.per_core, rates.per_gb_ram, rates.per_gb_storage, rates.per_gpu].map(|rate| if quoted && rate == 0 { UNPRICED } else { rate as f32 })
}

/// One level's rows as columns, laid out a block of `FAN` rows at a time (a column's values for the
/// block's rows, then the next column's), so that bounding a block reads neighbouring cache lines.
/// Slots past the last row are `Row::EMPTY`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Summaries {
    values: Vec<f32>,
    rows: usize,
}

/// Where each column starts in a block, in slots.
const LEAST_FREE: usize = 0;
const MOST_FREE: usize = 4 * FAN;
const RATES: usize = 8 * FAN;
const BACKING: usize = 12 * FAN;
const REPUTATION: usize = (12 + CLASSES) * FAN;
const BOND: usize = (13 + CLASSES) * FAN;
const BLOCK: usize = (14 + CLASSES) * FAN;

impl Summaries {
    /// How many rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    fn push(&mut self, row: &Row) {
        if self.rows.is_multiple_of(FAN) {
            let block = self.values.len();
            self.values.resize(block + BLOCK, 0.0);
            for slot in 0..FAN {
                self.write(block, slot, &Row::EMPTY);
            }
        }
        self.rows += 1;
        self.set(self.rows - 1, row);
    }

    fn set(&mut self, at: usize, row: &Row) {
        self.write(at / FAN * BLOCK, at % FAN, row);
    }

    fn write(&mut self, block: usize, slot: usize, row: &Row) {
        let v = &mut self.values[block..block + BLOCK];
        for r in 0..4 {
            v[LEAST_FREE + r * FAN + slot] = row.inverse_min_free[r];
            v[MOST_FREE + r * FAN + slot] = row.inverse_max_free[r];
            v[RATES + r * FAN + slot] = row.min_rates[r];
        }
        for k in 0..CLASSES {
            v[BACKING + k * FAN + slot] = row.backing[k];
        }
        v[REPUTATION + slot] = row.max_reputation;
        v[BOND + slot] = row.max_bond;
    }

    /// The row of the rows of `block`: each column's best over its slots (those past the last row are
    /// `Row::EMPTY`, which changes nothing).
    fn combined(&self, block: usize) -> Row {
        let v = &self.values[block * BLOCK..(block + 1) * BLOCK];
        let most = |at: usize| extreme(&v[at..at + FAN], f32::MIN, |a, b| if b > a { b } else { a });
        let least = |at: usize| extreme(&v[at..at + FAN], f32::MAX, |a, b| if b < a { b } else { a });
        Row {
            inverse_min_free: std::array::from_fn(|r| most(LEAST_FREE + r * FAN)),
            inverse_max_free: std::array::from_fn(|r| least(MOST_FREE + r * FAN)),
            min_rates: std::array::from_fn(|r| least(RATES + r * FAN)),
            backing: std::array::from_fn(|k| most(BACKING + k * FAN)),
            max_reputation: most(REPUTATION),
            max_bond: most(BOND),
        }
    }

    /// The bound for `job` (`Terms`, its backing at `class`) of each row of `block`, into `out`;
    /// `NONE` for one the tests turn away. With 256-bit vectors where the processor has them.
    /// The rows whose bound is at least `least` are returned as bits.
    #[inline]
    pub fn bounds(&self, terms: &Terms, class: usize, block: usize, least: f32, out: &mut [f32; FAN]) -> u32 {
        #[cfg(target_arch = "x86_64")]
        if wide::wide() {
            const { assert!(FAN == 2 * wide::LANES, "a block is two vectors") };
            let columns = [BACKING + class * FAN, REPUTATION, BOND];
            let mut reaching = 0;
            for half in 0..2 {
                let at = block * BLOCK + half * wide::LANES;
                let (values, out) = (&self.values[at..at + BLOCK - wide::LANES], &mut out[half * wide::LANES..(half + 1) * wide::LANES]);
                // SAFETY: the processor has 512-bit vectors, checked just above.
                reaching |= unsafe {
                    match terms.asked[3] > 0.0 {
                        true => wide::rows::<true>(terms, values, FAN, columns, least, out),
                        false => wide::rows::<false>(terms, values, FAN, columns, least, out),
                    }
                } << (half * wide::LANES);
            }
            return reaching;
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            return unsafe { self.bounds_avx2(terms, class, block, least, out) };
        }
        self.bounds_here::<true>(terms, class, block, out);
        at_least(out, least)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn bounds_avx2(&self, terms: &Terms, class: usize, block: usize, least: f32, out: &mut [f32; FAN]) -> u32 {
        match terms.asked[3] > 0.0 {
            true => self.bounds_here::<true>(terms, class, block, out),
            false => self.bounds_here::<false>(terms, class, block, out),
        }
        at_least(out, least)
    }

    /// Without `GPUS` (for a job asking for none) the GPU columns are not read, to the same bounds (as
    /// in `scan::Columns`).
    #[inline(always)]
    fn bounds_here<const GPUS: bool>(&self, terms: &Terms, class: usize, block: usize, out: &mut [f32; FAN]) {
        let v: &[f32; BLOCK] = self.values[block * BLOCK..(block + 1) * BLOCK].try_into().expect("a whole block");
        let col = |at: usize| -> &[f32; FAN] { v[at..at + FAN].try_into().expect("a whole column") };
        let least = [col(LEAST_FREE), col(LEAST_FREE + FAN), col(LEAST_FREE + 2 * FAN), col(LEAST_FREE + 3 * FAN)];
        let most = [col(MOST_FREE), col(MOST_FREE + FAN), col(MOST_FREE + 2 * FAN), col(MOST_FREE + 3 * FAN)];
        let rates = [col(RATES), col(RATES + FAN), col(RATES + 2 * FAN), col(RATES + 3 * FAN)];
        let (backing, reputation, bond) = (col(BACKING + class * FAN), col(REPUTATION), col(BOND));
        let asked = &terms.asked;
        for i in 0..FAN {
            let price = asked[0] * rates[0][i] + asked[1] * rates[1][i] + asked[2] * rates[2][i] + if GPUS { asked[3] * rates[3][i] } else { 0.0 };
            let share = |r: usize| (asked[r] * least[r][i]).min(1.0) * terms.counted[r];
            let fit = share(0) + share(1) + share(2) + if GPUS { share(3) } else { 0.0 };
            let bound = terms.whole_price - terms.per_price * price + backing[i] + terms.per_fit * fit;
            let fits = (asked[0] * most[0][i] <= FITS) & (asked[1] * most[1][i] <= FITS) & (asked[2] * most[2][i] <= FITS) & (!GPUS || asked[3] * most[3][i] <= FITS);
            let able = fits & (reputation[i] >= terms.min_reputation) & (bond[i] >= terms.min_bond) & (price <= terms.max_price);
            out[i] = if able { bound * 0.01 } else { NONE };
        }
    }
}

/// The extreme of `values` (a column of a block, never `NaN`) by `pick`, from `start`: lane by lane over
/// 8 at a time, which the compiler keeps in vectors, then over the lanes.
#[inline(always)]
fn extreme(values: &[f32], start: f32, pick: impl Fn(f32, f32) -> f32) -> f32 {
    let mut lanes = [start; 8];
    for chunk in values.chunks_exact(8) {
        for k in 0..8 {
            lanes[k] = pick(lanes[k], chunk[k]);
        }
    }
    lanes.into_iter().fold(start, &pick)
}

/// A tree's levels of rows: the first a row per leaf, each next a row per block of `FAN` rows of the
/// one before, the last of at most `FAN` rows (one block).
#[derive(Clone, Debug, Default)]
pub(crate) struct Levels {
    pub levels: Vec<Summaries>,
    /// Leaves summarised again since the rows above them were (`refresh`).
    stale: Vec<usize>,
}

impl Levels {
    /// Over leaves summarised by `rows`.
    pub fn build(rows: &[Row]) -> Levels {
        let mut first = Summaries::default();
        rows.iter().for_each(|row| first.push(row));
        let mut levels = vec![first];
        while let Some(below) = levels.last().filter(|level| level.len() > FAN) {
            let mut level = Summaries::default();
            for block in 0..below.len().div_ceil(FAN) {
                level.push(&below.combined(block));
            }
            levels.push(level);
        }
        Levels { levels, stale: Vec::new() }
    }

    /// Leaf `leaf` is summarised by `row` now, a row that only ever has fewer members than before: the
    /// rows above it still bound it (they may be looser) until `refresh`.
    pub fn set(&mut self, leaf: usize, row: &Row) {
        self.levels[0].set(leaf, row);
        self.stale.push(leaf);
    }

    /// The rows above the leaves summarised again since the last time, each once, over the rows below
    /// them.
    pub fn refresh(&mut self) {
        let mut at = std::mem::take(&mut self.stale);
        for k in 1..self.levels.len() {
            at.iter_mut().for_each(|row| *row /= FAN);
            at.sort_unstable();
            at.dedup();
            for &row in &at {
                let combined = self.levels[k - 1].combined(row);
                self.levels[k].set(row, &combined);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_market::math::pricing::hourly_price;

    use crate::index::backing::Backing;
    use crate::index::scan::tests::{job, row as member_values, Seeded};
    use crate::index::scan::SLACK;
    use crate::score::score;

    /// Row `at` of `level`.
    fn row(level: &Summaries, at: usize) -> Row {
        let (v, slot) = (&level.values[at / FAN * BLOCK..(at / FAN + 1) * BLOCK], at % FAN);
        Row {
            inverse_min_free: std::array::from_fn(|r| v[LEAST_FREE + r * FAN + slot]),
            inverse_max_free: std::array::from_fn(|r| v[MOST_FREE + r * FAN + slot]),
            min_rates: std::array::from_fn(|r| v[RATES + r * FAN + slot]),
            backing: std::array::from_fn(|k| v[BACKING + k * FAN + slot]),
            max_reputation: v[REPUTATION + slot],
            max_bond: v[BOND + slot],
        }
    }

    fn member(rng: &mut Seeded, index: u32) -> Member {
        let v = member_values(rng);
        Member {
            index,
            active_jobs: v.active_jobs,
            free: v.free,
            capacity: v.free,
            rates: v.rates,
            reputation: v.reputation,
            takes_matcher_jobs: rng.below(8) > 0,
            bond: v.bond,
            live: rng.below(8) > 0,
        }
    }

    /// A member's score for `job`, if it passes the exhaustive scan's tests (in a tree of quotes, with
    /// a valid quote).
    fn exact(m: &Member, job: &crate::plan::OpenJob, quoted: bool) -> Option<u64> {
        let price = hourly_price(&m.rates, &job.requirements)?;
        let passes = m.live
            && m.takes_matcher_jobs
            && (!quoted || m.rates.is_valid_for(&job.requirements))
            && job.requirements.fits_in(&m.free)
            && m.reputation >= job.min_reputation
            && m.bond >= job.min_bond
            && price <= job.max_price_per_hour;
        passes.then(|| score(price, job.max_price_per_hour, m.reputation, &job.requirements, &m.free, m.active_jobs, m.bond))
    }

    #[test]
    fn every_level_bounds_each_member_below_it() {
        let mut rng = Seeded(17);
        let members: Vec<Member> = (0..4_000).map(|i| member(&mut rng, i)).collect();
        let mut prices: Vec<u64> = (0..50).map(|_| job(&mut rng).max_price_per_hour).collect();
        prices.push(1_000);
        let backing = Backing::for_prices(prices);
        let backings: Vec<[u32; CLASSES]> = members.iter().map(|m| backing.values(m.reputation, m.active_jobs, m.bond)).collect();
        // Leaves of 1 to 3 members: three levels.
        let mut leaves = vec![];
        let mut lo = 0;
        while lo < members.len() {
            let hi = (lo + 1 + rng.below(3) as usize).min(members.len());
            leaves.push((lo, hi));
            lo = hi;
        }
        let mut passed = 0;
        for quoted in [false, true] {
            let rows: Vec<Row> = leaves.iter().map(|&(lo, hi)| Row::of(&members[lo..hi], &backings[lo..hi], quoted)).collect();
            let levels = Levels::build(&rows);
            assert!(levels.levels.len() >= 3 && levels.levels.last().expect("a level").len() <= FAN);
            for _ in 0..300 {
                let job = job(&mut rng);
                let (terms, class) = (Terms::of(&job), backing.class_of(job.max_price_per_hour));
                let bounds: Vec<Vec<f32>> = levels
                    .levels
                    .iter()
                    .map(|level| {
                        let mut out = vec![];
                        for block in 0..level.len().div_ceil(FAN) {
                            let (mut fast, mut portable) = ([0.0; FAN], [0.0; FAN]);
                            let reaching = level.bounds(&terms, class, block, 5_000.0, &mut fast);
                            // Whatever vectors the processor has, the same bounds.
                            level.bounds_here::<true>(&terms, class, block, &mut portable);
                            assert!(fast.iter().zip(&portable).all(|(a, b)| a.to_bits() == b.to_bits()));
                            assert!((0..FAN).all(|slot| (reaching >> slot & 1 == 1) == (portable[slot] >= 5_000.0)));
                            // And with 256-bit vectors, where the processor has wider ones too.
                            #[cfg(target_arch = "x86_64")]
                            if std::arch::is_x86_feature_detected!("avx2") {
                                let mut narrower = [0.0; FAN];
                                // SAFETY: the processor has AVX2, checked just above.
                                assert_eq!(unsafe { level.bounds_avx2(&terms, class, block, 5_000.0, &mut narrower) }, reaching);
                                assert!(narrower.iter().zip(&portable).all(|(a, b)| a.to_bits() == b.to_bits()));
                            }
                            out.extend_from_slice(&fast);
                        }
                        assert!(out[level.len()..].iter().all(|b| *b == NONE), "an empty slot is turned away");
                        out
                    })
                    .collect();
                for (leaf, &(lo, hi)) in leaves.iter().enumerate() {
                    for m in &members[lo..hi] {
                        let Some(score) = exact(m, &job, quoted) else { continue };
                        passed += 1;
                        let mut at = leaf;
                        for level in &bounds {
                            assert!(level[at] != NONE && level[at] + SLACK >= score as f32, "{score} above {} for {job:?}", level[at]);
                            at /= FAN;
                        }
                    }
                }
            }
        }
        assert!(passed > 1_000, "only {passed} members passed");
    }

    #[test]
    fn a_leaf_without_members_that_may_take_jobs_turns_every_job_away() {
        let mut rng = Seeded(3);
        let mut members: Vec<Member> = (0..4).map(|i| member(&mut rng, i)).collect();
        members[0].live = false;
        members[1].takes_matcher_jobs = false;
        members[2].rates.per_gb_storage = MAX_RATE_PER_UNIT_HOUR + 1;
        let backings = [[u32::MAX; CLASSES]; 4];
        assert_eq!(Row::of(&members[..3], &backings[..3], true), Row::EMPTY);
        assert_ne!(Row::of(&members[..3], &backings[..3], false), Row::EMPTY, "own rates have no ceiling here");
        let levels = Levels::build(&[Row::EMPTY]);
        let mut out = [0.0; FAN];
        let anything = crate::plan::OpenJob { min_reputation: 0, min_bond: 0, max_price_per_hour: u64::MAX, ..job(&mut rng) };
        levels.levels[0].bounds(&Terms::of(&anything), 0, 0, NONE, &mut out);
        assert_eq!(out[0], NONE);
    }

    #[test]
    fn a_leaf_changed_is_summarised_again_up_to_the_top_once_refreshed() {
        let mut rng = Seeded(5);
        let members: Vec<Member> = (0..40 * FAN as u32).map(|i| member(&mut rng, i)).collect();
        let backings = vec![[7; CLASSES]; members.len()];
        let rows: Vec<Row> = members.chunks(1).zip(backings.chunks(1)).map(|(m, b)| Row::of(m, b, false)).collect();
        let mut levels = Levels::build(&rows);
        let mut rows = rows;
        // The leaves of the first block holding its most reputation, which the row above it then loses.
        let most = rows[..FAN].iter().map(|r| r.max_reputation).fold(f32::MIN, f32::max);
        let holding = (0..FAN).filter(|&leaf| rows[leaf].max_reputation == most);
        for leaf in holding.chain([33, 34, 40 * FAN - 1]).collect::<Vec<_>>() {
            rows[leaf] = Row::EMPTY;
            levels.set(leaf, &Row::EMPTY);
        }
        let rebuilt = Levels::build(&rows);
        let same = |levels: &Levels| levels.levels.iter().zip(&rebuilt.levels).all(|(a, b)| a.len() == b.len() && (0..a.len()).all(|at| row(a, at) == row(b, at)));
        assert_eq!(levels.levels.len(), rebuilt.levels.len());
        assert!(!same(&levels), "the rows above the leaves wait for a refresh");
        levels.refresh();
        assert!(same(&levels));
    }
}
