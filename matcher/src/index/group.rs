//! Several jobs searched through one tree together: each block of rows, and each leaf, is read once for
//! all the jobs that may find a provider in it, while it is in the core's cache, rather than once per
//! job. A job alone reads some 600 kB of columns at 100,000 providers, more than a core's cache keeps
//! between one job and the next; a group reads each block once.
//!
//! Each job first dives from the top along its highest bounds to one leaf (`Search::dive`): its best
//! there sets a bar close to its final one, so the rows after it are skipped as they would be when
//! searched highest bound first. Then the rows are walked in order, each entered by the jobs whose bound
//! for it may still reach their bar (`best::threshold`) and by no other. A job sees the same rows it
//! would see alone (but for the order), with the same tests, so it finds the same best providers.

use crate::index::best::{threshold, Choice, Search};
use crate::index::scan::NONE;
use crate::index::summary::FAN;
use crate::index::tree::Tree;
use crate::plan::{Candidate, OpenJob};

/// Jobs searched together at most.
pub(crate) const GROUP: usize = 64;

/// Enters into each of `tops` (the best `N` so far of the job at the same place in `jobs`, best first)
/// the providers of `tree` that rank among that job's best `N`.
pub(crate) fn search_group<const N: usize>(tree: &Tree, providers: &[Candidate], jobs: &[&OpenJob], quoted: bool, tops: &mut [Vec<Choice>]) {
    assert!(jobs.len() <= GROUP && jobs.len() == tops.len());
    let searches: Vec<Search> = jobs.iter().map(|job| Search::new(tree, providers, job, quoted)).collect();
    // The leaf each job dived to (searched already).
    let dived: Vec<Option<usize>> = searches.iter().zip(tops.iter_mut()).map(|(search, top)| search.dive::<N>(top)).collect();
    let group = Group { tree, searches: &searches, dived: &dived };
    let everyone: Vec<u8> = (0..jobs.len() as u8).collect();
    group.visit::<N>(tree.levels.levels.len() - 1, 0, &everyone, tops);
}

struct Group<'a> {
    tree: &'a Tree,
    searches: &'a [Search<'a>],
    dived: &'a [Option<usize>],
}

impl Group<'_> {
    /// Walks the rows of `block` of `level` (0: the leaves) for the jobs `active` (places in the group).
    fn visit<const N: usize>(&self, level: usize, block: usize, active: &[u8], tops: &mut [Vec<Choice>]) {
        let summaries = &self.tree.levels.levels[level];
        let mut bounds = [[NONE; FAN]; GROUP];
        let mut reaching = [0u32; GROUP];
        for (a, &j) in active.iter().enumerate() {
            let search = &self.searches[j as usize];
            reaching[a] = summaries.bounds(&search.terms, search.class, block, threshold::<N>(&tops[j as usize]), &mut bounds[a]);
        }
        // The jobs that may enter each row, by place in `active` (slots past the level's rows are
        // turned away: `scan::NONE`).
        let mut entering = [[0u8; GROUP]; FAN];
        let mut count = [0usize; FAN];
        for (a, mut reaching) in reaching.into_iter().take(active.len()).enumerate() {
            while reaching != 0 {
                let slot = reaching.trailing_zeros() as usize;
                reaching &= reaching - 1;
                entering[slot][count[slot]] = a as u8;
                count[slot] += 1;
            }
        }
        for slot in 0..FAN {
            let row = block * FAN + slot;
            let mut n = 0;
            for k in 0..count[slot] {
                let a = entering[slot][k] as usize;
                let j = active[a] as usize;
                // The bar may have risen since.
                if bounds[a][slot] >= threshold::<N>(&tops[j]) && (level > 0 || self.dived[j] != Some(row)) {
                    entering[slot][n] = j as u8;
                    n += 1;
                }
            }
            if n == 0 {
                continue;
            }
            let entering = &entering[slot];
            if level == 0 {
                for &j in &entering[..n] {
                    self.searches[j as usize].enter_leaf::<N>(row, &mut tops[j as usize]);
                }
            } else {
                self.visit::<N>(level - 1, row, &entering[..n], tops);
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;
    use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER};
    use compute_market::state::{Rates, Resources};

    use crate::index::backing::Backing;
    use crate::index::best::search;
    use crate::index::scan::tests::{job, Seeded};

    /// Providers drawn from narrow ranges (so that many score alike and ties are common) with a few
    /// extreme values, some outside matching.
    pub(crate) fn providers(rng: &mut Seeded, n: usize) -> Vec<Candidate> {
        (0..n)
            .map(|i| {
                let free = Resources { cpu_cores: 1 + rng.below(64) as u16, ram_gb: rng.below(1_100) as u32, storage_gb: rng.below(3_000) as u32, gpus: rng.below(3) as u16 };
                let rate = |rng: &mut Seeded| [0, 1, 999_999, 1_000_000_007, u64::MAX / 3][rng.below(5) as usize] + rng.below(3);
                Candidate {
                    authority: Pubkey::new_from_array([(i % 251) as u8; 32]),
                    rates: Rates { per_core: rate(rng), per_gb_ram: rate(rng), per_gb_storage: rate(rng), per_gpu: rate(rng) },
                    capacity: free,
                    free,
                    reputation: [0, 5_000, 9_000, 10_000][rng.below(4) as usize] + rng.below(3) as u16,
                    active_jobs: rng.below(3) as u32,
                    assignment: if rng.below(8) == 0 { ASSIGN_BY_CLIENTS } else { ASSIGN_BY_MATCHER },
                    gpu_model: 0,
                    vram_gb: 0,
                    bond: [0, 24_000, 1 << 40][rng.below(3) as usize],
                }
            })
            .collect()
    }

    #[test]
    fn a_group_finds_what_each_job_finds_alone() {
        let mut rng = Seeded(23);
        let providers = providers(&mut rng, 9_000);
        let jobs: Vec<OpenJob> = (0..300).map(|_| OpenJob { client: Pubkey::new_from_array([7; 32]), ..job(&mut rng) }).collect();
        let backing = Backing::for_prices(jobs.iter().map(|j| j.max_price_per_hour).collect());
        let members = |range: std::ops::Range<usize>| range.map(|i| (i as u32, providers[i].rates, providers[i].bond)).collect::<Vec<_>>();
        // Two trees, as a forest keeps them: the first searched fills the tops the second starts from.
        let (mut first, second) = (Tree::build(&providers, members(0..1_000), &backing, false), Tree::build(&providers, members(1_000..9_000), &backing, false));
        assert!(second.levels.levels.len() >= 2, "blocks of rows above the leaves");
        for i in (0..1_000).step_by(3) {
            first.remove(i);
        }
        let mut found = 0;
        for group in jobs.chunks(GROUP) {
            let group: Vec<&OpenJob> = group.iter().collect();
            let mut together: Vec<Vec<Choice>> = vec![Vec::new(); group.len()];
            for tree in [&first, &second] {
                search_group::<2>(tree, &providers, &group, false, &mut together);
            }
            for (job, top) in group.iter().zip(&together) {
                let mut alone = Vec::new();
                for tree in [&first, &second] {
                    search::<2>(tree, &providers, job, false, &mut alone);
                }
                assert_eq!(top, &alone, "{job:?}");
                found += top.len();
            }
        }
        assert!(found > 100, "only {found} providers found");
    }
}
