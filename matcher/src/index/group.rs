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
