//! The best provider for a job by branch and bound over a `Tree`: subtrees are visited best bound
//! first, and one is skipped when its bound cannot reach the best found so far, counting the ranking's
//! tie-breaks (a subtree whose bound only equals the best score is skipped when its cheapest price is
//! above the best's; otherwise it may hold a tie won on price or address, and is visited). In a leaf,
//! only the members whose quick bound (`scan`) may reach the best are weighed exactly.

use std::cmp::Reverse;

use compute_market::constants::MAX_RATE_PER_UNIT_HOUR;
use compute_market::math::pricing::hourly_price;
use compute_market::state::{Rates, Resources};

use crate::index::scan::{self, Terms};
use crate::index::tree::{Hot, Member, Node, Tree, LEAF};
use crate::plan::{ranks_above, Candidate, OpenJob};
use crate::score::score;

/// A provider chosen for a job: its index in the round's order, its price and score.
pub(crate) type Choice = (usize, u64, u64);

/// Enters into `top` (the best `N` so far, best first) the providers of `tree` that rank among the best
/// `N` (`quoted`: the tree's rates are quotes, which must price every resource the job asks for),
/// exactly as the exhaustive scan ranks them.
pub(crate) fn search<const N: usize>(tree: &Tree, providers: &[Candidate], job: &OpenJob, quoted: bool, top: &mut Vec<Choice>) {
    // Depth first, the more promising child first.
    let mut stack: Vec<(u64, u64, u32)> = Vec::with_capacity(64);
    let terms = Terms::of(job);
    let class = tree.backing.class_of(job.max_price_per_hour);
    if let Some((bound, cheapest)) = bound(&tree.hot[0], job, &terms, class, quoted) {
        stack.push((bound, cheapest, 0));
    }
    while let Some((reach, cheapest, node)) = stack.pop() {
        if bar::<N>(top).is_some_and(|b| out_of_reach(reach, cheapest, b)) {
            continue;
        }
        let n = &tree.hot[node as usize];
        if n.is_leaf() {
            // Weighed exactly only where the quick bound may reach the best so far (`scan`).
            let (lo, hi) = (n.lo as usize, n.hi as usize);
            let mut bounds = [scan::NONE; LEAF];
            tree.columns.bounds(&terms, lo, hi, &mut bounds[..hi - lo]);
            let mut least = threshold::<N>(top);
            for (at, bound) in bounds[..hi - lo].iter().enumerate() {
                if *bound < least {
                    continue;
                }
                if let Some(candidate) = evaluate(&tree.members[lo + at], job, quoted) {
                    enter::<N>(candidate, providers, job, top);
                    least = threshold::<N>(top);
                }
            }
            continue;
        }
        let [a, b] = [n.children, n.children + 1].map(|child| bound(&tree.hot[child as usize], job, &terms, class, quoted).map(|(bound, cheapest)| (bound, cheapest, child)));
        // Pushed last, searched first: the higher bound, then the lower price.
        let promise = |c: &Option<(u64, u64, u32)>| c.map(|(bound, cheapest, _)| (bound, Reverse(cheapest)));
        let (better, worse) = if promise(&a) >= promise(&b) { (a, b) } else { (b, a) };
        for (reach, cheapest, child) in [worse, better].into_iter().flatten() {
            if bar::<N>(top).is_none_or(|b| !out_of_reach(reach, cheapest, b)) {
                stack.push((reach, cheapest, child));
            }
        }
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

/// The least quick bound (`scan`) of a member that may enter `top`: one whose bound is below it
/// scores below the bar, and one turned away by the column tests (`scan::NONE`) is below it too.
#[inline]
fn threshold<const N: usize>(top: &[Choice]) -> f32 {
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

/// No provider bounded by (`bound`, `cheapest`) ranks above `best`: a lower score, or the same score at
/// a higher price.
#[inline]
fn out_of_reach(bound: u64, cheapest: u64, best: Choice) -> bool {
    bound < best.2 || (bound == best.2 && cheapest > best.1)
}

/// The highest score and lowest price any provider under `node` could have for `job` now (`terms`, its
/// backing at `class`: `backing::Backing::class_of`); none when none of them can take it. Every part of
/// the score only grows with reputation and free bond and only shrinks with price, free capacity and
/// jobs in flight, so the node's extremes bound each provider's.
#[inline]
pub(crate) fn bound(node: &Hot, job: &OpenJob, terms: &Terms, class: usize, quoted: bool) -> Option<(u64, u64)> {
    if !node.live_takers
        || node.max_reputation < job.min_reputation
        || !job.bond_suffices(node.live_max_bond)
        || !job.requirements.fits_in(&node.max_free)
    {
        return None;
    }
    if quoted && !may_be_priced(node, &job.requirements) {
        return None;
    }
    let cheapest = price_bound(&node.live_min_rates, &job.requirements);
    if cheapest > job.max_price_per_hour {
        return None;
    }
    Some((terms.bound(cheapest, node.max_backing[class], &node.min_free), cheapest))
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

/// `may_be_valid` from a node's `Hot` part.
#[inline]
fn may_be_priced(node: &Hot, asked: &Resources) -> bool {
    let asked_bits = [u64::from(asked.cpu_cores), u64::from(asked.ram_gb), u64::from(asked.storage_gb), u64::from(asked.gpus)]
        .iter()
        .enumerate()
        .fold(0u8, |bits, (r, units)| bits | (u8::from(*units > 0) << r));
    node.capped && asked_bits & !node.priced == 0
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

/// Every member's quote prices every resource `asked` names.
#[inline]
pub(crate) fn all_valid(node: &Node, asked: &Resources) -> bool {
    let priced = |units: u64, min: u64, max: u64| (units == 0 || min > 0) && max <= MAX_RATE_PER_UNIT_HOUR;
    let (lo, hi) = (&node.min_rates, &node.max_rates);
    priced(asked.cpu_cores.into(), lo.per_core, hi.per_core)
        && priced(asked.ram_gb.into(), lo.per_gb_ram, hi.per_gb_ram)
        && priced(asked.storage_gb.into(), lo.per_gb_storage, hi.per_gb_storage)
        && priced(asked.gpus.into(), lo.per_gpu, hi.per_gpu)
}
