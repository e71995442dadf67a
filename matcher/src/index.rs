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
//! a job fills the free cores, RAM and storage; free GPUs), down to leaves of at most 32 (`tree::LEAF`).
//! Each node keeps, over the providers under it, the least and most of: reputation, each rate, capacity
//! and free capacity in each resource, plus the highest backing at a few maximum prices (`backing`), the
//! largest free bond in the forest's currency (lamports for the providers' own rates, else the token)
//! and how many take matcher jobs. A tree also keeps its members' values as columns (`scan`), for a
//! leaf's quick bounds.
//!
//! # Searching (`best`)
//!
//! A job is decided by branch and bound: from the root, a node is entered only if some provider under
//! it might take the job (one takes matcher jobs, the most reputable meets the floor, the largest free
//! bond meets the job's minimum bond, the most free of each resource fits, the cheapest rates are within
//! the price, a quote may price every resource asked for), the more promising child first. The bound is
//! the score of the node's extremes: the price part at its lowest rates, its highest backing at the
//! largest of its maximum prices not above the job's, the fit of its least free capacity. Each part is
//! monotone in those inputs (the price part falls as the price grows, the fit as free capacity grows,
//! standing grows with reputation and falls with jobs in flight, the bond part grows with the bond and
//! falls as the maximum price grows), so no provider under the node scores above the bound, nor is
//! cheaper than its lowest price. The bound is worked out in single precision without the score's
//! roundings and rounded up past their error (`scan::Terms::bound`): never below the integer one.
//!
//! In a leaf, each member's own bound is worked out a column at a time (`scan`: several members per
//! instruction, no divisions), and only a member whose bound may reach the best so far is weighed
//! exactly (`best::evaluate`), about one in four hundred.
//!
//! # Exactness
//!
//! The exhaustive round picks, among the providers that pass its filters, the greatest by (score, lower
//! price, lower address, earlier in the round's order: `plan::ranks_above`). The leaves apply the very
//! same filters and comparison. A subtree is skipped only when none of its providers can pass the
//! filters, or when its bound is below the best score found so far, or equal to it with a lowest price
//! above the best's: then every provider under it ranks below the best found. A member of a leaf is
//! skipped only when the column tests turn it away (each only where the exact test would) or its quick
//! bound is more than `scan::SLACK` below the best score (a quick bound is never that far below the
//! member's score). So the provider found is the greatest of all, the same one. Every provider is searched in exactly one place: live in the tree
//! it was in when the round began, or, once an assignment changed it, in the trees or the short list of
//! changed providers, with its new free capacity, jobs in flight and free bond; bounds are summarised
//! again over the live providers before the next job, so they hold for the state the exhaustive round
//! would see.
//!
//! A round searches jobs in batches at once over the cores, each against the providers as they were when
//! its batch began, for its best two (`plan::GUESSES`: a search for more lowers the bar it prunes by);
//! then settles them in posting order (`plan::settle`): only the providers taken by earlier jobs of the
//! batch changed since, so the best of the others is the first of the two not taken, and the job's
//! choice is that or a taken one now ranking above it, weighed again. When both were taken the job is
//! searched again.
//!
//! Unmatched jobs are explained from the index too (`explain`), with the same words as
//! `explain::explain`; why that is exact is told there.
//!
//! # Cost
//!
//! A search visits the subtrees whose bound reaches the best score. At 100,000 providers (`make bench`)
//! a job visits about 800 inner nodes and 400 leaves, gives about 9,000 members a quick bound and weighs
//! about 25 exactly, against all of them for the exhaustive scan. The bound of a node adds up the most
//! each part reaches under it, each from another provider: the price part from the cheapest, the fit
//! from the smallest (which may not even fit the job), the backing from the most reputable. Measured
//! with leaves of 4 at the start of a round: had a node the most score its members actually reach for
//! the job, a job would visit a thirteenth of the nodes it does; bounding each part apart by the most it
//! reaches over the members that can take the job, a third. With 8 features the tree halves each only a
//! few times, so a node's members still differ in every part, and the bounds loosen as a round fills
//! the market and the best remaining score falls. The search waits mostly on memory: a
//! node's summaries, then a leaf's columns.
//!
//! # Adding a filter
//!
//! A new per-provider filter (a GPU model, VRAM per GPU) is one more test in the leaf's `best::evaluate`
//! (and `tree::Member` field) and, to prune, one more summary in `tree::Node` (the most VRAM, the set of
//! GPU models under it) checked in `best::bound`, as the minimum bond is: `Member::bond` (the provider's
//! free bond in the forest's currency, kept beside the providers in `forest::Forest::bonds` and locked
//! there by assignments), `Node::live_max_bond` (pruning), `Node::max_backing` (the bond part of the
//! bound) and `Node::max_bond` (as the tree was built, for the explanations). A score part bounded by
//! its extreme in the node keeps the search exact provided the score stays monotone in it; a new score
//! part must also enter the quick bounds (`scan`), which must stay above every member's score. The
//! explanations gain the matching reasons in `explain::explain`, which the index's explanations fall
//! back to for every reason but price, room, bonds and opting in.

mod backing;
mod best;
mod explain;
mod forest;
mod scan;
mod summary;
mod tree;

use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use rayon::prelude::*;

use crate::plan::{bond_column, Candidate, OpenJob};
use crate::quotes::QuoteBook;

use backing::Backing;
pub(crate) use best::Choice;
use forest::Forest;
use tree::Tree;

pub(crate) struct ProviderIndex {
    /// Every provider, at its own rates.
    own: Forest,
    /// For each token an open job is paid in, the providers quoting it, at their quote.
    by_mint: HashMap<Pubkey, Forest>,
    /// Each authority's providers, by index in the round's order (one, unless the node lists it twice).
    entries: HashMap<Pubkey, Vec<u32>>,
    /// The providers that do not take matcher jobs, in the round's order.
    outside: Vec<u32>,
}

impl ProviderIndex {
    /// The index of `providers` (in the round's order) for `jobs`, token jobs priced by `quotes`.
    pub fn build(providers: &[Candidate], jobs: &[OpenJob], quotes: &QuoteBook) -> ProviderIndex {
        let mut mints: Vec<Pubkey> = jobs.iter().filter_map(|j| j.payment_mint).collect();
        mints.sort_unstable();
        mints.dedup();
        // A forest's nodes keep their backing at the maximum prices of the jobs it prices.
        let backing = |mint: Option<Pubkey>| Backing::for_prices(jobs.iter().filter(|j| j.payment_mint == mint).map(|j| j.max_price_per_hour).collect());
        let (own, by_mint) = rayon::join(
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
        let mut entries: HashMap<Pubkey, Vec<u32>> = HashMap::with_capacity(providers.len());
        for (i, p) in providers.iter().enumerate() {
            entries.entry(p.authority).or_default().push(i as u32);
        }
        let outside = (0..providers.len() as u32).filter(|&i| !providers[i as usize].takes_matcher_jobs()).collect();
        ProviderIndex { own, by_mint, entries, outside }
    }

    /// The best provider that can take `job` now, as the exhaustive scan would choose it.
    pub fn best(&self, job: &OpenJob, providers: &[Candidate]) -> Option<Choice> {
        self.forest_for(job).top::<1>(job, providers).first().copied()
    }

    /// The best `N` providers that can take `job` now, best first (fewer when fewer can).
    pub fn top<const N: usize>(&self, job: &OpenJob, providers: &[Candidate]) -> Vec<Choice> {
        self.forest_for(job).top::<N>(job, providers)
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

    fn forest_for(&self, job: &OpenJob) -> &Forest {
        match job.payment_mint {
            None => &self.own,
            Some(mint) => &self.by_mint[&mint],
        }
    }

    /// The tree of every provider pricing `job` as the round began, and whether its rates are quotes:
    /// what the explanations read.
    fn tree_for(&self, job: &OpenJob) -> (&Tree, bool) {
        let forest = self.forest_for(job);
        (&forest.base, forest.quoted())
    }

    /// Each provider's free bond in `job`'s currency now, in the round's order.
    fn bonds_for(&self, job: &OpenJob) -> &[u64] {
        &self.forest_for(job).bonds
    }

    /// The providers of `authority`, by index in the round's order.
    fn entries_of(&self, authority: &Pubkey) -> &[u32] {
        self.entries.get(authority).map_or(&[], Vec::as_slice)
    }
}
