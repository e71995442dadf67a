//! One tree over providers all priced one way (their own rates, or their quotes in one token): leaves of
//! a few providers, every node summarising the providers under it by bounds that hold for each of them
//! (reputation, capacity, rates, how many take matcher jobs, the largest free bond as the tree was
//! built), set once, over every member: what the explanations read. A search reads the leaves' rows
//! and the levels above them instead (`summary`), which are over the live members and are summarised
//! again along one leaf-to-top path when a member leaves (`Tree::remove`).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use compute_market::state::{Rates, Resources};

use crate::index::backing::{Backing, CLASSES};
use crate::index::scan::{Columns, Row as ColumnRow};
use crate::index::summary::{Levels, Row};
use crate::plan::Candidate;

/// Providers per leaf at most: a leaf is weighed a column at a time (`scan`), several members per
/// instruction, so large leaves are cheap and leave fewer rows to bound (`summary`).
pub(crate) const LEAF: usize = 16;

/// No such node, or not a member.
const NONE: u32 = u32::MAX;

/// What holds for every provider under a node, as the tree was built.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub max_reputation: u16,
    pub min_reputation: u16,
    /// The first of its two children (the second follows it); `NONE` for a leaf.
    pub children: u32,
    /// Its members: `Tree::members[lo..hi]`.
    pub lo: u32,
    pub hi: u32,
    /// How many take jobs from the matcher.
    pub takers: u32,
    /// The largest free bond (in the tree's currency) as the tree was built: bonds only shrink within a
    /// round, so it bounds every member's now.
    pub max_bond: u64,
    pub min_rates: Rates,
    pub max_rates: Rates,
    pub min_capacity: Resources,
    pub max_capacity: Resources,
}

impl Node {
    pub fn is_leaf(&self) -> bool {
        self.children == NONE
    }
}

/// What a search reads of a provider, kept leaf by leaf so that a leaf is read in one sweep.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Member {
    /// In the round's order.
    pub index: u32,
    pub active_jobs: u32,
    pub free: Resources,
    /// Its capacity, what the explanations count it by.
    pub capacity: Resources,
    /// What it prices jobs at in this tree.
    pub rates: Rates,
    pub reputation: u16,
    pub takes_matcher_jobs: bool,
    /// Its free bond in the tree's currency (lamports for its own rates, else the quotes' token).
    pub bond: u64,
    /// Not changed since the tree was built (a changed provider lives on elsewhere: `forest`).
    pub live: bool,
}

pub(crate) struct Tree {
    /// What holds for every member under each node as the tree was built: what the explanations read
    /// (a base tree's are handed to `explain::Explainer` once built).
    pub nodes: Vec<Node>,
    pub members: Vec<Member>,
    /// The members' values as columns, leaf by leaf, for a leaf's quick bounds (`scan`).
    pub columns: Columns,
    /// Each leaf's members, `members[lo..hi]`, in the members' order.
    pub leaves: Vec<(u32, u32)>,
    /// A row per leaf and the levels above (`summary`): what a search reads above the members.
    pub levels: Levels,
    /// Each member's backing at each class (`backing::Backing::values`), in the same order: a leaf's
    /// row is summarised again whenever one of its members leaves.
    backings: Vec<[u32; CLASSES]>,
    /// Each member's leaf, by provider index.
    leaf_of: HashMap<u32, u32, BuildHasherDefault<IndexHasher>>,
    /// How many members are live.
    pub live: usize,
    /// The classes the backing is kept at.
    pub backing: Backing,
    /// The rates are quotes (`summary`: only valid quotes count).
    quoted: bool,
}

/// Hashes a provider's index (the round's own numbering, not anyone's input) with one multiplication, which
/// spreads consecutive indices over the table: far cheaper than the default hasher, which resists keys
/// chosen to collide.
#[derive(Default)]
struct IndexHasher(u64);

impl Hasher for IndexHasher {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.write_u32(u32::from(*byte));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A feature of a provider (priced some way, with some free bond), and its weight.
type Feature = (fn(&Candidate, &Rates, u64, &Backing) -> u64, u64);

/// The features a node is split on, each with how much it moves a score (or a fit) per unit of its
/// range: a split on the widest weighted one makes the bounds of both halves tighter where it matters.
const FEATURES: [Feature; 8] = [
    (|p, _, bond, backing| backing.typical(p.reputation, p.active_jobs, bond), 8),
    (|_, r, _, _| r.per_core, 3),
    (|_, r, _, _| r.per_gb_ram, 2),
    (|_, r, _, _| r.per_gpu, 2),
    (|p, _, _, _| snugness(p.free.cpu_cores.into()), 6),
    (|p, _, _, _| snugness(p.free.ram_gb.into()), 6),
    (|p, _, _, _| p.free.gpus.into(), 8),
    (|p, _, _, _| snugness(p.free.storage_gb.into()), 5),
];

/// How much a job of one unit would fill `free` of a resource: what a fit moves with.
fn snugness(free: u64) -> u64 {
    (1 << 20) / (free + 1)
}

impl Tree {
    /// A tree over `members` (provider index, rates, free bond), those that take matcher jobs under one child of
    /// the root and the others under the other, so that a search for a provider to assign skips the
    /// latter at once.
    pub fn build(providers: &[Candidate], mut members: Vec<(u32, Rates, u64)>, backing: &Backing, quoted: bool) -> Tree {
        let takers = members.iter().filter(|(i, _, _)| providers[*i as usize].takes_matcher_jobs()).count();
        members.sort_unstable_by_key(|(i, _, _)| (!providers[*i as usize].takes_matcher_jobs(), *i));
        // Each member's features worked out once, beside it: a split reads them rather than the providers.
        let mut keyed: Vec<Keyed> = members
            .into_iter()
            .map(|(i, rates, bond)| (std::array::from_fn(|f| (FEATURES[f].0)(&providers[i as usize], &rates, bond, backing)), (i, rates, bond)))
            .collect();
        let spans = feature_spans(&keyed);
        let mut nodes = vec![empty_node(0, keyed.len())];
        let mut pending = vec![0usize];
        while let Some(node) = pending.pop() {
            let (lo, hi) = (nodes[node].lo as usize, nodes[node].hi as usize);
            let split = if node == 0 && takers > 0 && takers < keyed.len() {
                takers
            } else if hi - lo > LEAF {
                let feature = widest(&keyed[lo..hi], &spans);
                let mid = (hi - lo) / 2;
                keyed[lo..hi].select_nth_unstable_by_key(mid, |(keys, _)| keys[feature]);
                lo + mid
            } else {
                continue;
            };
            let first = nodes.len();
            nodes[node].children = first as u32;
            nodes.push(empty_node(lo, split));
            nodes.push(empty_node(split, hi));
            pending.extend([first, first + 1]);
        }
        let members: Vec<(u32, Rates, u64)> = keyed.into_iter().map(|(_, member)| member).collect();
        let mut leaves: Vec<(u32, u32)> = nodes.iter().filter(|n| n.is_leaf()).map(|n| (n.lo, n.hi)).collect();
        leaves.sort_unstable();
        let mut leaf_of = HashMap::with_capacity_and_hasher(members.len(), BuildHasherDefault::default());
        for (leaf, &(lo, hi)) in leaves.iter().enumerate() {
            for (i, _, _) in &members[lo as usize..hi as usize] {
                leaf_of.insert(*i, leaf as u32);
            }
        }
        let members = members
            .into_iter()
            .map(|(i, rates, bond)| {
                let p = &providers[i as usize];
                Member { index: i, active_jobs: p.active_jobs, free: p.free, capacity: p.capacity, rates, reputation: p.reputation, takes_matcher_jobs: p.takes_matcher_jobs(), bond, live: true }
            })
            .collect::<Vec<_>>();
        let live = members.len();
        let rows: Vec<ColumnRow> = members.iter().map(|m| ColumnRow { free: m.free, rates: m.rates, reputation: m.reputation, active_jobs: m.active_jobs, bond: m.bond }).collect();
        let columns = Columns::of(&rows, &leaves);
        let backings: Vec<[u32; CLASSES]> = members.iter().map(|m| backing.values(m.reputation, m.active_jobs, m.bond)).collect();
        let rows: Vec<Row> = leaves.iter().map(|&(lo, hi)| Row::of(&members[lo as usize..hi as usize], &backings[lo as usize..hi as usize], quoted)).collect();
        let levels = Levels::build(&rows);
        let mut tree = Tree { nodes, members, columns, leaves, levels, backings, leaf_of, live, backing: backing.clone(), quoted };
        // Children come after their parent: summarising backwards finds them done.
        for node in (0..tree.nodes.len()).rev() {
            tree.summarise(node);
        }
        tree
    }

    /// Where `provider` is among the members, if it is one.
    pub fn position(&self, provider: usize) -> Option<usize> {
        let (lo, hi) = self.leaves[*self.leaf_of.get(&(provider as u32))? as usize];
        (lo as usize..hi as usize).find(|&pos| self.members[pos].index as usize == provider)
    }

    /// `provider` (a member) changed: it is no longer searched here, and its leaf's row (`summary`) is
    /// that of the live members; the rows above it are once `refresh` is called, and bound them until
    /// then. The nodes still count it, which leaves them bounds, and leaves the tree whole for the
    /// explanations, which read only those.
    pub fn remove(&mut self, provider: usize) {
        let Some(pos) = self.position(provider) else { return };
        if !std::mem::replace(&mut self.members[pos].live, false) {
            return;
        }
        let leaf = self.leaf_of[&(provider as u32)] as usize;
        let (lo, hi) = (self.leaves[leaf].0 as usize, self.leaves[leaf].1 as usize);
        self.columns.remove(leaf, pos - lo);
        self.live -= 1;
        let row = Row::of(&self.members[lo..hi], &self.backings[lo..hi], self.quoted);
        self.levels.set(leaf, &row);
    }

    /// The rows above the leaves that members left summarised again over the live members.
    pub fn refresh(&mut self) {
        self.levels.refresh();
    }

    /// The live members: (provider index, rates, free bond).
    pub fn live_members(&self) -> impl Iterator<Item = (u32, Rates, u64)> + '_ {
        self.members.iter().filter(|m| m.live).map(|m| (m.index, m.rates, m.bond))
    }

    /// Every bound of `node`, from its members (a leaf) or its children.
    fn summarise(&mut self, node: usize) {
        let n = &self.nodes[node];
        let mut s = Node {
            min_reputation: u16::MAX,
            takers: 0,
            min_rates: Rates { per_core: u64::MAX, per_gb_ram: u64::MAX, per_gb_storage: u64::MAX, per_gpu: u64::MAX },
            min_capacity: Resources { cpu_cores: u16::MAX, ram_gb: u32::MAX, storage_gb: u32::MAX, gpus: u16::MAX },
            ..empty_node(n.lo as usize, n.hi as usize)
        };
        s.children = n.children;
        if n.is_leaf() {
            for m in &self.members[n.lo as usize..n.hi as usize] {
                s.min_reputation = s.min_reputation.min(m.reputation);
                s.max_reputation = s.max_reputation.max(m.reputation);
                s.takers += u32::from(m.takes_matcher_jobs);
                s.min_rates = rates_min(&s.min_rates, &m.rates);
                s.max_rates = rates_max(&s.max_rates, &m.rates);
                s.min_capacity = resources_min(&s.min_capacity, &m.capacity);
                s.max_capacity = resources_max(&s.max_capacity, &m.capacity);
                s.max_bond = s.max_bond.max(m.bond);
            }
        } else {
            for child in [n.children as usize, n.children as usize + 1] {
                let c = &self.nodes[child];
                s.min_reputation = s.min_reputation.min(c.min_reputation);
                s.max_reputation = s.max_reputation.max(c.max_reputation);
                s.takers += c.takers;
                s.min_rates = rates_min(&s.min_rates, &c.min_rates);
                s.max_rates = rates_max(&s.max_rates, &c.max_rates);
                s.min_capacity = resources_min(&s.min_capacity, &c.min_capacity);
                s.max_capacity = resources_max(&s.max_capacity, &c.max_capacity);
                s.max_bond = s.max_bond.max(c.max_bond);
            }
        }
        self.nodes[node] = s;
    }
}

#[cfg(test)]
impl Tree {
    /// The levels of rows the live members make now, summarised from scratch.
    pub fn summarised_afresh(&self) -> Levels {
        let rows: Vec<Row> = self.leaves.iter().map(|&(lo, hi)| Row::of(&self.members[lo as usize..hi as usize], &self.backings[lo as usize..hi as usize], self.quoted)).collect();
        Levels::build(&rows)
    }
}

fn empty_node(lo: usize, hi: usize) -> Node {
    Node {
        lo: lo as u32,
        hi: hi as u32,
        children: NONE,
        min_reputation: 0,
        max_reputation: 0,
        takers: 0,
        min_rates: Rates::default(),
        max_rates: Rates::default(),
        min_capacity: Resources::default(),
        max_capacity: Resources::default(),
        max_bond: 0,
    }
}

/// A member's features (`FEATURES`, in order) and the member (provider index, rates, free bond).
type Keyed = ([u64; FEATURES.len()], (u32, Rates, u64));

/// The least and the most of each feature over `keyed`.
fn extremes(keyed: &[Keyed]) -> ([u64; FEATURES.len()], [u64; FEATURES.len()]) {
    keyed.iter().fold(([u64::MAX; FEATURES.len()], [0; FEATURES.len()]), |(mut min, mut max), (keys, _)| {
        for f in 0..FEATURES.len() {
            min[f] = min[f].min(keys[f]);
            max[f] = max[f].max(keys[f]);
        }
        (min, max)
    })
}

/// Each feature's range over all members (at least 1), what a node's spreads are measured against.
fn feature_spans(keyed: &[Keyed]) -> [u64; FEATURES.len()] {
    let (min, max) = extremes(keyed);
    std::array::from_fn(|f| max[f].saturating_sub(min[f]).max(1))
}

/// The feature whose weighted share of its whole range is widest among `keyed` (not empty).
fn widest(keyed: &[Keyed], spans: &[u64; FEATURES.len()]) -> usize {
    let (min, max) = extremes(keyed);
    (0..FEATURES.len()).max_by_key(|&f| u128::from(max[f] - min[f]) * u128::from(FEATURES[f].1) * 1_000_000 / u128::from(spans[f])).unwrap_or(0)
}

fn rates_min(a: &Rates, b: &Rates) -> Rates {
    Rates {
        per_core: a.per_core.min(b.per_core),
        per_gb_ram: a.per_gb_ram.min(b.per_gb_ram),
        per_gb_storage: a.per_gb_storage.min(b.per_gb_storage),
        per_gpu: a.per_gpu.min(b.per_gpu),
    }
}

fn rates_max(a: &Rates, b: &Rates) -> Rates {
    Rates {
        per_core: a.per_core.max(b.per_core),
        per_gb_ram: a.per_gb_ram.max(b.per_gb_ram),
        per_gb_storage: a.per_gb_storage.max(b.per_gb_storage),
        per_gpu: a.per_gpu.max(b.per_gpu),
    }
}

fn resources_min(a: &Resources, b: &Resources) -> Resources {
    Resources { cpu_cores: a.cpu_cores.min(b.cpu_cores), ram_gb: a.ram_gb.min(b.ram_gb), storage_gb: a.storage_gb.min(b.storage_gb), gpus: a.gpus.min(b.gpus) }
}

fn resources_max(a: &Resources, b: &Resources) -> Resources {
    Resources { cpu_cores: a.cpu_cores.max(b.cpu_cores), ram_gb: a.ram_gb.max(b.ram_gb), storage_gb: a.storage_gb.max(b.storage_gb), gpus: a.gpus.max(b.gpus) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_indices_hash_apart() {
        let hash = |n: u32| {
            let mut hasher = IndexHasher::default();
            hasher.write_u32(n);
            hasher.finish()
        };
        let mut hashes: Vec<u64> = (0..10_000).map(hash).collect();
        // The table reads the top bits and the low bits: both must tell the indices apart.
        assert!(hashes.iter().filter(|h| **h >> 57 == hashes[1] >> 57).count() < 200, "the top seven bits spread");
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), 10_000);
    }
}
