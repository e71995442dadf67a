//! The round's index of providers: what lets a round cost what fits each job rather than jobs x
//! providers, while deciding exactly what the exhaustive scan (`exhaustive::plan_exhaustive`) decides.
//!
//! # Layout
//!
//! One `forest::Forest` per way of pricing: the providers' own rates (every provider, for lamport jobs)
//! and, for each token some open job is paid in, the providers quoting it at their quote. A forest is
//! the `tree::Tree` of its providers as the round began, plus trees of the providers assignments changed
//! since (see `forest`). A tree puts the providers taking matcher jobs under one child of its root and
//! the others under the other; below that it halves its providers at the median of the feature whose
//! spread weighs most on a score (backing, i.e. standing and bond part: `backing`; the rates; how snugly
//! a job fills the free cores, RAM and storage; free GPUs), down to leaves of at most 16 (`tree::LEAF`).
//! Each node keeps, over the providers under it as the tree was built, the least and most of
//! reputation, each rate and capacity, the largest free bond in the forest's currency (lamports for the
//! providers' own rates, else the token) and how many take matcher jobs: what the explanations read
//! (`explain::Explainer`, which keeps the base trees' nodes and members as the round began).
//!
//! What a search reads is laid out apart, as columns of single-precision values (`scan`, `summary`):
//! the members' own values, a block of `tree::LEAF` slots per leaf, then a row per leaf summarising its live
//! members (the least rates, the least and most free of each resource, the highest backing at a few
//! maximum prices, `backing`; the most reputation and free bond), then a row per block of 32 leaf rows,
//! and so on up to one block (three levels at 100,000 providers). A level's rows are kept a block of 32
//! at a time, each column's 32 values side by side, so that a block is bounded in one sweep of
//! neighbouring cache lines, several rows per instruction.
//!
//! # Searching (`best`)
//!
//! A job is decided by branch and bound from the top block down: the 32 rows of a block are bounded at
//! once (`summary::Summaries::bounds`), and a row is entered (its block on the level below, or its
//! leaf) only if some provider it summarises might take the job (one takes matcher jobs and, in a tree
//! of quotes, quotes validly; the most reputable meets the floor; the largest free bond meets the
//! job's minimum bond; the most free of each resource fits; the cheapest rates are within the price)
//! and its bound may reach the best found so far, the higher bounds first. The bound is the quick bound
//! (`scan`) of a member holding the row's best values: the price part at its lowest rates, its highest
//! backing at the largest of its maximum prices not above the job's, the fit of its least free
//! capacity. Each part is monotone in those inputs (the price part falls as the price grows, the fit as
//! free capacity grows, standing grows with reputation and falls with jobs in flight, the bond part
//! grows with the bond and falls as the maximum price grows), and so is every rounded step of its
//! single-precision sum, so no provider under the row scores more than `scan::SLACK` above it.
//!
//! In a leaf, each member's own bound is worked out the same way from its own values (`scan`), and only
//! a member whose bound may reach the best so far is weighed exactly (`best::evaluate`).
//!
//! A batch's jobs are searched in groups (`group`): each job dives along its highest bounds to one leaf
//! for a first bar, then the group walks the tree once in order, a block or leaf entered by the jobs
//! whose bound for it may still reach their bar, read once for all of them while it is in the core's
//! cache. A job sees the rows it would see alone with the same tests, so it finds the same providers.
//!
//! # Exactness
//!
//! The exhaustive round picks, among the providers that pass its filters, the greatest by (score, lower
//! price, lower address, earlier in the round's order: `plan::ranks_above`). The leaves apply the very
//! same filters and comparison. A row (a leaf, or a block of them) is skipped only when none of its
//! providers can pass the filters, or when its bound is more than `scan::SLACK` below the best score
//! found so far: then every provider under it scores below the best found. A member of a leaf is
//! skipped only when the column tests turn it away (each only where the exact test would) or its quick
//! bound is more than `scan::SLACK` below the best score (a quick bound is never that far below the
//! member's score). So the provider found is the greatest of all, the same one. Every provider is
//! searched in exactly one place: live in the tree it was in when the round began, or, once an
//! assignment changed it, in the trees or the short list of changed providers, with its new free
//! capacity, jobs in flight and free bond; a leaf's row is summarised again over the live members before
//! the next job, and the rows above it before the next batch is searched (`ProviderIndex::refresh`; until
//! then they bound the live members all the same, only more loosely), so they hold for the state the
//! exhaustive round would see.
//!
//! A round searches jobs in batches at once over the cores, each against the providers as they were when
//! its batch began, for its best two (`plan::GUESSES`: a search for more lowers the bar it prunes by);
//! then settles them in posting order (`plan::settle`): only the providers taken by earlier jobs of the
//! batch changed since, so the best of the others is the first of the two not taken, and the job's
//! choice is that or a taken one now ranking above it, weighed again. When both were taken the job is
//! searched again.
//!
//! Unmatched jobs are explained from the index too (`explain`), with the same words as
//! `explain::explain`: prepared as soon as the round leaves them open from what it does not change, on
//! the core settling leaves free, and finished once it is over; why that is exact is told there. What
//! they count (the providers within the price, the cheapest) is swept from columns of their own
//! (`census`), a few jobs at a time, since a tree prunes those six-dimensional queries poorly.
//!
//! Where the processor has 512-bit vectors, the quick bounds of a leaf and of a block of rows are worked
//! out sixteen slots per instruction (`wide`), to the same bits as the portable loops.
//!
//! # Cost
//!
//! A search enters the rows whose bound reaches the best score. At 100,000 providers (`make bench`, leaves
//! of 32) a job bounded about 2,400 rows (75 blocks), entered about 420 leaves and gave about 10,000
//! members a quick bound, against all of them for the exhaustive scan: some 600 kB of columns a job, more
//! than a core's cache keeps between one job and the next, which is why jobs are searched in groups. The
//! round is now bound by the work itself (docs/MATCHER.md, Scale).
//!
//! Why it is not far fewer: a row's bound adds up the most each part reaches under it, each from
//! another provider (the price part from the cheapest, the fit from the smallest, which may not even
//! fit the job, the backing from the most reputable). At 100,000 providers a leaf entered bounds its best
//! member by 868 points too many on average, and only about 13 of the 420 leaves entered hold a member
//! reaching the bar (docs/MATCHER.md, Scale). Measured at 10,000 providers on the binary tree:
//! had a node the most score its members that can take the job actually reach, a job would visit an
//! eighth of the nodes and a twelfth of the members; bounding each part apart over only those members,
//! about half; the most score over every member (parts together, whether they can take the job
//! ignored), about half too. Both together are needed, which no summary of a few extremes gives. With
//! 8 features the tree halves each only a few times, so a leaf's members still differ in every part,
//! and the bounds loosen as a round fills the market and the best remaining score falls.
//!
//! # Adding a filter
//!
//! A new per-provider filter (a GPU model, VRAM per GPU) is one more test in the leaf's `best::evaluate`
//! (and `tree::Member` field) and, to prune, one more column in the rows (`summary::Row`: the most VRAM)
//! tested in `summary::Summaries::bounds`, as the minimum bond is: `Member::bond` (the provider's free
//! bond in the forest's currency, kept beside the providers in `forest::Forest::bonds` and locked there
//! by assignments), `Row::max_bond` (pruning), `Row::backing` (the bond part of the bound) and
//! `Node::max_bond` (as the tree was built, for the explanations). A score part bounded by its best
//! value in the row keeps the search exact provided the score stays monotone in it; a new score part
//! must also enter the quick bounds (`scan`), which must stay above every member's score. The
//! explanations gain the matching reasons in `explain::explain`, which the index's explanations fall
//! back to for every reason but price, room, bonds and opting in.

mod backing;
mod best;
mod census;
mod explain;
mod forest;
mod group;
mod scan;
mod summary;
mod tree;
mod wide;

use std::collections::HashMap;
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use rayon::prelude::*;

use crate::explain::Unmatched;
use crate::plan::{bond_column, Candidate, OpenJob};
use crate::quotes::QuoteBook;

use backing::Backing;
pub(crate) use explain::{Explainer, Prepared};
use explain::Built;
pub(crate) use best::Choice;
pub(crate) use census::JOBS as PREPARED_TOGETHER;
use forest::Forest;

pub(crate) struct ProviderIndex {
    /// Every provider, at its own rates.
    own: Forest,
    /// For each token an open job is paid in, the providers quoting it, at their quote.
    by_mint: HashMap<Pubkey, Forest>,
    /// What the explanations read of the round as it began.
    explainer: Arc<Explainer>,
}

impl ProviderIndex {
    /// The index of `providers` (in the round's order) for `jobs`, token jobs priced by `quotes`.
    pub fn build(providers: &[Candidate], jobs: &[OpenJob], quotes: &QuoteBook) -> ProviderIndex {
        let mut mints: Vec<Pubkey> = jobs.iter().filter_map(|j| j.payment_mint).collect();
        mints.sort_unstable();
        mints.dedup();
        // A forest's nodes keep their backing at the maximum prices of the jobs it prices.
        let backing = |mint: Option<Pubkey>| Backing::for_prices(jobs.iter().filter(|j| j.payment_mint == mint).map(|j| j.max_price_per_hour).collect());
        let (mut own, mut by_mint): (Forest, HashMap<Pubkey, Forest>) = rayon::join(
            || Forest::build(providers, providers.iter().map(|p| Some(p.rates)).collect(), bond_column(None, providers, quotes), false, backing(None)),
            || {
                mints
                    .par_iter()
                    .map(|mint| {
                        let forest = Forest::build(providers, quotes.column(mint, providers), bond_column(Some(*mint), providers, quotes), true, backing(Some(*mint)));
                        (*mint, forest)
                    })
                    .collect()
            },
        );
        // The base trees' nodes are read by the explanations alone (a search reads the rows): theirs now.
        let built = |forest: &mut Forest, mint: Option<Pubkey>| Built::new(std::mem::take(&mut forest.base.nodes), forest.base.members.clone(), mint, forest.bonds.clone());
        let explainer = Explainer::new(built(&mut own, None), by_mint.iter_mut().map(|(mint, forest)| (*mint, built(forest, Some(*mint)))).collect(), providers);
        ProviderIndex { own, by_mint, explainer: Arc::new(explainer) }
    }

    /// The best provider that can take `job` now, as the exhaustive scan would choose it.
    pub fn best(&self, job: &OpenJob, providers: &[Candidate]) -> Option<Choice> {
        self.forest_for(job).top::<1>(job, providers).first().copied()
    }

    /// The best `N` providers that can take each of `jobs` now, best first, the jobs searched in groups
    /// over the cores (`group`).
    pub fn top_of_each<const N: usize>(&self, jobs: &[OpenJob], providers: &[Candidate]) -> Vec<Vec<Choice>> {
        let mut by_forest: Vec<(Option<Pubkey>, Vec<usize>)> = Vec::new();
        for (j, job) in jobs.iter().enumerate() {
            match by_forest.iter_mut().find(|(mint, _)| *mint == job.payment_mint) {
                Some((_, members)) => members.push(j),
                None => by_forest.push((job.payment_mint, vec![j])),
            }
        }
        let cores = rayon::current_num_threads().max(1);
        // Each forest's jobs in as many groups as there are cores, the groups taken in turn from each
        // forest: the pool splits the list in halves, so each core starts on a like share of every forest.
        let mut groups: Vec<(usize, &[usize])> = by_forest.iter().flat_map(|(_, members)| members.chunks(members.len().div_ceil(cores).min(group::GROUP)).enumerate()).collect();
        groups.sort_by_key(|(turn, _)| *turn);
        let groups: Vec<&[usize]> = groups.into_iter().map(|(_, group)| group).collect();
        let found: Vec<Vec<Vec<Choice>>> = groups
            .par_iter()
            .map(|group| {
                let jobs: Vec<&OpenJob> = group.iter().map(|&j| &jobs[j]).collect();
                self.forest_for(jobs[0]).top_of_each::<N>(&jobs, providers)
            })
            .collect();
        let mut tops = vec![Vec::new(); jobs.len()];
        for (group, found) in groups.iter().zip(found) {
            for (&j, top) in group.iter().zip(found) {
                tops[j] = top;
            }
        }
        tops
    }

    /// How `provider` ranks for `job` now, if it can take it.
    pub fn weigh(&self, job: &OpenJob, providers: &[Candidate], provider: usize) -> Option<Choice> {
        self.forest_for(job).weigh(job, providers, provider)
    }

    /// `provider` was just assigned `job` (its free capacity and jobs in flight changed): locks the job's
    /// minimum bond on its bond in the job's currency.
    pub fn assigned(&mut self, job: &OpenJob, provider: usize, providers: &[Candidate]) {
        match job.payment_mint {
            None => self.own.lock(provider, job.min_bond),
            Some(mint) => self.by_mint.get_mut(&mint).expect("a forest per mint").lock(provider, job.min_bond),
        }
        self.own.changed(provider, providers);
        for forest in self.by_mint.values_mut() {
            forest.changed(provider, providers);
        }
    }

    /// The rows above the leaves that changed providers left summarised again (`tree::Tree::refresh`):
    /// once a batch rather than once an assignment.
    pub fn refresh(&mut self) {
        self.own.refresh();
        self.by_mint.values_mut().for_each(Forest::refresh);
    }

    fn forest_for(&self, job: &OpenJob) -> &Forest {
        match job.payment_mint {
            None => &self.own,
            Some(mint) => &self.by_mint[&mint],
        }
    }

    /// What the explanations read of the round as it began (`explain`).
    pub fn explainer(&self) -> &Arc<Explainer> {
        &self.explainer
    }

    /// Why no provider can take `job` (which the round left open), as `explain::explain` says, from what
    /// `Explainer::prepare` found and the providers as the round leaves them.
    pub fn explain(&self, job: &OpenJob, prepared: Prepared, providers: &[Candidate], quotes: &QuoteBook) -> Unmatched {
        self.explainer.finish(job, prepared, providers, &self.forest_for(job).bonds, quotes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::group::tests::providers;
    use crate::index::scan::tests::{job, Seeded};

    #[test]
    fn a_refresh_reaches_every_forest() {
        let mut rng = Seeded(37);
        let providers = providers(&mut rng, 3_000);
        let mint = Pubkey::new_from_array([9; 32]);
        let jobs: Vec<OpenJob> = (0..8).map(|k| OpenJob { payment_mint: (k % 2 == 0).then_some(mint), min_bond: 0, ..job(&mut rng) }).collect();
        let mut quotes = QuoteBook::default();
        for p in &providers {
            quotes.add_quote(p.authority, mint, p.rates);
        }
        let mut index = ProviderIndex::build(&providers, &jobs, &quotes);
        for i in (0..3_000).step_by(3) {
            index.assigned(&jobs[i % 2], i, &providers);
        }
        let forests = |index: &ProviderIndex| std::iter::once(&index.own).chain(index.by_mint.values()).map(|forest| forest.base.levels.levels == forest.base.summarised_afresh().levels).collect::<Vec<_>>();
        assert_eq!(forests(&index), [false, false], "the rows above the leaves wait for a refresh");
        index.refresh();
        assert_eq!(forests(&index), [true, true]);
    }
}
