//! The best providers for a job by branch and bound over a `Tree`'s levels of rows (`summary`): from
//! the top level down, the rows of a level are bounded `FAN` at a time, and a row is entered (its
//! rows on the level below, or its leaf's members) only if its bound may reach the best found so far,
//! the higher bounds first. In a leaf, only the members whose quick bound (`scan`) may reach the best
//! are weighed exactly.

use compute_market::constants::MAX_RATE_PER_UNIT_HOUR;
use compute_market::math::pricing::hourly_price;
use compute_market::state::{Rates, Resources};

use crate::index::scan::{self, Terms};
use crate::index::summary::FAN;
use crate::index::tree::{Member, Node, Tree, LEAF};
use crate::plan::{ranks_above, Candidate, OpenJob};
use crate::score::score;

/// Leaves a job searched alone asks for ahead of the one it weighs (their order is known once a
/// block's bounds are sorted).
const PREFETCH: usize = 2;

/// A provider chosen for a job: its index in the round's order, its price and score.
pub(crate) type Choice = (usize, u64, u64);

/// Enters into `top` (the best `N` so far, best first) the providers of `tree` that rank among the best
/// `N` (`quoted`: the tree's rates are quotes, which must price every resource the job asks for),
/// exactly as the exhaustive scan ranks them.
pub(crate) fn search<const N: usize>(tree: &Tree, providers: &[Candidate], job: &OpenJob, quoted: bool, top: &mut Vec<Choice>) {
    let search = Search::new(tree, providers, job, quoted);
    search.enter_rows::<N>(tree.levels.levels.len() - 1, 0, top);
}

/// One job's search of one tree.
pub(crate) struct Search<'a> {
    tree: &'a Tree,
    providers: &'a [Candidate],
    job: &'a OpenJob,
    quoted: bool,
    pub terms: Terms,
    /// The class the job's backing is bounded at (`backing::Backing::class_of`).
    pub class: usize,
}

impl<'a> Search<'a> {
    pub fn new(tree: &'a Tree, providers: &'a [Candidate], job: &'a OpenJob, quoted: bool) -> Search<'a> {
        Search { tree, providers, job, quoted, terms: Terms::of(job), class: tree.backing.class_of(job.max_price_per_hour) }
    }

    /// Follows the highest bound from the top block down to a leaf that may hold a provider entering
    /// `top` and searches it: a first bar. The leaf, if any.
    pub fn dive<const N: usize>(&self, top: &mut Vec<Choice>) -> Option<usize> {
        let mut bounds = [scan::NONE; FAN];
        let (mut level, mut block) = (self.tree.levels.levels.len() - 1, 0);
        loop {
            self.tree.levels.levels[level].bounds(&self.terms, self.class, block, scan::NONE, &mut bounds);
            let (slot, bound) = bounds.iter().enumerate().fold((0, scan::NONE), |best, (slot, b)| if *b > best.1 { (slot, *b) } else { best });
            if bound == scan::NONE || bound < threshold::<N>(top) {
                return None;
            }
            let row = block * FAN + slot;
            if level == 0 {
                self.enter_leaf::<N>(row, top);
                return Some(row);
            }
            (level, block) = (level - 1, row);
        }
    }

    /// Searches the rows of `block` of `level` (0: the leaves), the higher bounds first.
    fn enter_rows<const N: usize>(&self, level: usize, block: usize, top: &mut Vec<Choice>) {
        let mut bounds = [scan::NONE; FAN];
        self.tree.levels.levels[level].bounds(&self.terms, self.class, block, scan::NONE, &mut bounds);
        // The rows that may hold a provider entering `top`, by bound (as ordered bits) and slot, the
        // highest first.
        let least = threshold::<N>(top);
        let mut order = [0u64; FAN];
        let mut entered = 0;
        for (slot, bound) in bounds.iter().enumerate() {
            if *bound >= least {
                order[entered] = (u64::from(ordered(*bound)) << 8) | slot as u64;
                entered += 1;
            }
        }
        let order = &mut order[..entered];
        order.sort_unstable_by(|a, b| b.cmp(a));
        if level == 0 {
            for &key in order.iter().take(PREFETCH) {
                self.tree.columns.prefetch(block * FAN + (key & 0xff) as usize);
            }
        }
        for (k, &key) in order.iter().enumerate() {
            if level == 0 && k + PREFETCH < order.len() {
                self.tree.columns.prefetch(block * FAN + (order[k + PREFETCH] & 0xff) as usize);
            }
            let slot = (key & 0xff) as usize;
            // The bar may have risen since.
            if bounds[slot] < threshold::<N>(top) {
                break;
            }
            let row = block * FAN + slot;
            if level == 0 {
                self.enter_leaf::<N>(row, top);
            } else {
                self.enter_rows::<N>(level - 1, row, top);
            }
        }
    }

    /// Weighs exactly the members of `leaf` whose quick bound may reach the best so far (`scan`).
    pub fn enter_leaf<const N: usize>(&self, leaf: usize, top: &mut Vec<Choice>) {
        let lo = self.tree.leaves[leaf].0 as usize;
        let mut bounds = [scan::NONE; LEAF];
        let mut least = threshold::<N>(top);
        // Slots past the leaf's members are turned away (`scan::NONE`).
        let mut reaching = self.tree.columns.bounds(&self.terms, leaf, least, &mut bounds);
        while reaching != 0 {
            let at = reaching.trailing_zeros() as usize;
            reaching &= reaching - 1;
            if bounds[at] < least {
                continue;
            }
            if let Some(candidate) = evaluate(&self.tree.members[lo + at], self.job, self.quoted) {
                enter::<N>(candidate, self.providers, self.job, top);
                least = threshold::<N>(top);
            }
        }
    }
}

/// `bound`'s bits, ordered as the bounds are (for bounds that are not `NaN`).
#[inline]
fn ordered(bound: f32) -> u32 {
    let bits = bound.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    }
}

/// What a provider must rank above to enter `top`: its last, once it holds `N`.
#[inline]
fn bar<const N: usize>(top: &[Choice]) -> Option<Choice> {
    if top.len() == N {
        top.last().copied()
    } else {
        None
    }
}

/// The least quick bound (`scan`, `summary`) of a member, leaf or group that may hold one entering
/// `top`: one whose bound is below it scores below the bar, and one turned away by the tests
/// (`scan::NONE`) is below it too.
#[inline]
pub(crate) fn threshold<const N: usize>(top: &[Choice]) -> f32 {
    bar::<N>(top).map_or(f32::MIN, |bar| bar.2 as f32 - scan::SLACK)
}

/// Enters `candidate` into `top` if it ranks among the best `N` and may take the job. Whom it may
/// take a job from is read (from the round's providers) only then: the exhaustive scan's filters, in
/// another order.
#[inline]
pub(crate) fn enter<const N: usize>(candidate: Choice, providers: &[Candidate], job: &OpenJob, top: &mut Vec<Choice>) {
    if bar::<N>(top).is_some_and(|last| !ranks_above(candidate, last, providers)) {
        return;
    }
    let provider = &providers[candidate.0];
    if provider.may_take(job) && !provider.released(job) {
        let at = top.iter().position(|c| ranks_above(candidate, *c, providers)).unwrap_or(top.len());
        top.insert(at, candidate);
        top.truncate(N);
    }
}

/// How provider `index` ranks for `job` now at `rates`, if it can take it: what the exhaustive scan
/// finds of it.
pub(crate) fn weigh(providers: &[Candidate], job: &OpenJob, quoted: bool, index: usize, rates: &Rates, bond: u64) -> Option<Choice> {
    let p = &providers[index];
    // Most providers weighed one by one (taken by the jobs before this one in its batch, or changed
    // lately) have too little room left or reputation for it: turned away before a member is made of
    // them, as `evaluate` would turn them away.
    if p.reputation < job.min_reputation || !job.requirements.fits_in(&p.free) {
        return None;
    }
    let member = Member {
        index: index as u32,
        active_jobs: p.active_jobs,
        free: p.free,
        capacity: p.capacity,
        rates: *rates,
        reputation: p.reputation,
        takes_matcher_jobs: p.takes_matcher_jobs(),
        bond,
        live: true,
    };
    evaluate(&member, job, quoted).filter(|_| p.may_take(job) && !p.released(job))
}

/// The exhaustive scan's tests and ranking of one provider, but for whom it may take the job from
/// (`Candidate::may_take`, `Candidate::released`).
#[inline]
fn evaluate(member: &Member, job: &OpenJob, quoted: bool) -> Option<Choice> {
    if !member.live
        || !member.takes_matcher_jobs
        || member.reputation < job.min_reputation
        || !job.bond_suffices(member.bond)
        || !job.requirements.fits_in(&member.free)
        || (quoted && !member.rates.is_valid_for(&job.requirements))
    {
        return None;
    }
    let price = hourly_price(&member.rates, &job.requirements).filter(|price| *price <= job.max_price_per_hour)?;
    let score = score(price, job.max_price_per_hour, member.reputation, &job.requirements, &member.free, member.active_jobs, member.bond);
    Some((member.index as usize, price, score))
}

/// `rates` x `asked`, saturating where `hourly_price` would overflow: at most any member's price.
#[inline]
pub(crate) fn price_bound(rates: &Rates, asked: &Resources) -> u64 {
    let total = u128::from(asked.cpu_cores) * u128::from(rates.per_core)
        + u128::from(asked.ram_gb) * u128::from(rates.per_gb_ram)
        + u128::from(asked.storage_gb) * u128::from(rates.per_gb_storage)
        + u128::from(asked.gpus) * u128::from(rates.per_gpu);
    u64::try_from(total).unwrap_or(u64::MAX)
}

/// Some member's quote may price every resource `asked` names (`Rates::is_valid_for`).
#[inline]
pub(crate) fn may_be_valid(node: &Node, asked: &Resources) -> bool {
    let priced = |units: u64, max: u64, min: u64| (units == 0 || max > 0) && min <= MAX_RATE_PER_UNIT_HOUR;
    let (lo, hi) = (&node.min_rates, &node.max_rates);
    priced(asked.cpu_cores.into(), hi.per_core, lo.per_core)
        && priced(asked.ram_gb.into(), hi.per_gb_ram, lo.per_gb_ram)
        && priced(asked.storage_gb.into(), hi.per_gb_storage, lo.per_gb_storage)
        && priced(asked.gpus.into(), hi.per_gpu, lo.per_gpu)
}
