//! The providers priced one way (and bonded in that currency), kept searchable while a round changes
//! them. The tree built as the
//! round began (`base`) stays; a provider an assignment changes leaves it (it stops being searched
//! there, and the rows above it close over the others: `summary`) and joins the few changed lately (`fresh`,
//! weighed one by one). When those are many they become a tree of their own, merged with the
//! smaller trees of changed providers before it (the logarithmic method: each provider is rebuilt into
//! a tree O(log n) times, and a search visits O(log n) trees). Without it the bounds of every row
//! over a provider that took a job would loosen as its free capacity shrinks, and a round would
//! slow as it fills the market.

use compute_market::state::Rates;

use crate::index::backing::Backing;
use crate::index::best::{enter, search, weigh, Choice};
use crate::index::group::search_group;
use crate::index::tree::Tree;
use crate::plan::{Candidate, OpenJob};

/// Changed providers weighed one by one, at most.
const FRESH: usize = 32;

/// Where a provider is.
const BASE: u32 = u32::MAX;
const IN_FRESH: u32 = u32::MAX - 1;
const ABSENT: u32 = u32::MAX - 2;

pub(crate) struct Forest {
    /// Every provider priced this way as the round began; those changed since are no longer live in it.
    pub base: Tree,
    /// Trees of providers changed since, larger first.
    changed: Vec<Tree>,
    fresh: Vec<u32>,
    /// Each provider's rates in this pricing; none for one not priced this way (a token it does not quote).
    rates: Vec<Option<Rates>>,
    /// Each provider's free bond in this currency now: what jobs priced this way lock.
    pub bonds: Vec<u64>,
    /// Each provider's place: `BASE`, `IN_FRESH`, `ABSENT`, or its tree in `changed`.
    place: Vec<u32>,
    /// The rates are quotes, which must price every resource a job asks for.
    quoted: bool,
    /// The maximum prices its trees keep their nodes' backing at.
    backing: Backing,
}

impl Forest {
    pub fn build(providers: &[Candidate], rates: Vec<Option<Rates>>, bonds: Vec<u64>, quoted: bool, backing: Backing) -> Forest {
        let members = rates.iter().enumerate().filter_map(|(i, r)| Some((i as u32, (*r)?, bonds[i]))).collect();
        let place = rates.iter().map(|r| if r.is_some() { BASE } else { ABSENT }).collect();
        Forest { base: Tree::build(providers, members, &backing, quoted), changed: Vec::new(), fresh: Vec::new(), rates, bonds, place, quoted, backing }
    }

    /// The best `N` providers that can take `job` now, best first (fewer when fewer can).
    pub fn top<const N: usize>(&self, job: &OpenJob, providers: &[Candidate]) -> Vec<Choice> {
        let mut top = Vec::with_capacity(N + 1);
        self.weigh_fresh::<N>(job, providers, &mut top);
        // The providers changed lately first: the best of the last jobs, often still near the best.
        for tree in self.changed.iter().rev().chain(std::iter::once(&self.base)) {
            search::<N>(tree, providers, job, self.quoted, &mut top);
        }
        top
    }

    /// `top` of each of `jobs` (at most `group::GROUP`), searched together.
    pub fn top_of_each<const N: usize>(&self, jobs: &[&OpenJob], providers: &[Candidate]) -> Vec<Vec<Choice>> {
        let mut tops: Vec<Vec<Choice>> = jobs.iter().map(|_| Vec::with_capacity(N + 1)).collect();
        for (job, top) in jobs.iter().zip(tops.iter_mut()) {
            self.weigh_fresh::<N>(job, providers, top);
        }
        for tree in self.changed.iter().rev().chain(std::iter::once(&self.base)) {
            search_group::<N>(tree, providers, jobs, self.quoted, &mut tops);
        }
        tops
    }

    /// Enters into `top` the providers changed lately (weighed one by one) that rank among `job`'s best `N`.
    fn weigh_fresh<const N: usize>(&self, job: &OpenJob, providers: &[Candidate], top: &mut Vec<Choice>) {
        for &i in &self.fresh {
            if let Some(candidate) = self.weigh(job, providers, i as usize) {
                enter::<N>(candidate, providers, job, top);
            }
        }
    }

    /// How provider `index` ranks for `job` now, if it can take it.
    pub fn weigh(&self, job: &OpenJob, providers: &[Candidate], index: usize) -> Option<Choice> {
        weigh(providers, job, self.quoted, index, self.rates[index].as_ref()?, self.bonds[index])
    }

    /// The rows of every tree summarised again over the members still live (`Tree::refresh`).
    pub fn refresh(&mut self) {
        self.base.refresh();
        self.changed.iter_mut().for_each(Tree::refresh);
    }

    /// A job priced this way was assigned to provider `index`, locking `amount` of its bond; it changed
    /// (`changed` must follow, as for every forest).
    pub fn lock(&mut self, index: usize, amount: u64) {
        self.bonds[index] -= amount;
    }

    /// Provider `index` changed (its free capacity, jobs in flight, maybe its free bond): it moves to the
    /// fresh ones.
    pub fn changed(&mut self, index: usize, providers: &[Candidate]) {
        match self.place[index] {
            ABSENT | IN_FRESH => return,
            BASE => self.base.remove(index),
            tree => self.changed[tree as usize].remove(index),
        }
        self.place[index] = IN_FRESH;
        self.fresh.push(index as u32);
        if self.fresh.len() < FRESH {
            return;
        }
        let mut members: Vec<(u32, Rates, u64)> = self.fresh.drain(..).map(|i| (i, self.rates[i as usize].expect("priced"), self.bonds[i as usize])).collect();
        while self.changed.last().is_some_and(|tree| tree.live <= members.len()) {
            let smaller = self.changed.pop().expect("a tree");
            members.extend(smaller.live_members());
        }
        let tree = self.changed.len() as u32;
        for (i, _, _) in &members {
            self.place[*i as usize] = tree;
        }
        self.changed.push(Tree::build(providers, members, &self.backing, self.quoted));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::group::tests::providers;
    use crate::index::scan::tests::Seeded;

    #[test]
    fn once_refreshed_every_tree_summarises_its_live_members() {
        let providers = providers(&mut Seeded(31), 3_000);
        let rates = providers.iter().map(|p| Some(p.rates)).collect();
        let bonds = providers.iter().map(|p| p.bond).collect();
        let mut forest = Forest::build(&providers, rates, bonds, false, Backing::for_prices(vec![1_000, 1_000_000, u64::MAX / 9]));
        // Changed once (out of the base tree) and some twice (out of a tree of changed providers too).
        for i in (0..3_000).step_by(3).chain((0..3_000).step_by(9)) {
            forest.changed(i, &providers);
        }
        assert!(!forest.changed.is_empty(), "trees of changed providers");
        let trees = || std::iter::once(&forest.base).chain(&forest.changed);
        assert!(trees().any(|tree| tree.levels.levels != tree.summarised_afresh().levels), "the rows above the leaves wait for a refresh");
        forest.refresh();
        for tree in std::iter::once(&forest.base).chain(&forest.changed) {
            assert!(tree.levels.levels == tree.summarised_afresh().levels);
        }
    }
}
