//! Why a job was left open, from the index: the same answer as `explain::explain` over every provider,
//! without weighing them all one by one in the common cases. A job reserved for a provider is
//! explained by `explain::explain` over that provider's entries alone (nothing else counts for it), and
//! so is one with GPU needs, over every provider. Otherwise one sweep of the providers' columns
//! (`census`, several jobs at a time) finds the cheapest provider that is eligible, offers the
//! resources, quotes the job's token validly and has the reputation asked for, and counts the
//! providers in matching that fit within the price. When there is no such provider the full scan names
//! what is missing (rare: nobody offers the resources, quotes the token, or has the reputation). Above
//! the price: `PriceTooHigh`. Otherwise the ones outside matching are weighed one by one in the round's
//! order as the full scan does, and so is the first one that released the job. For a bonded job, the
//! largest free bond among the providers in matching within the price is found by branch and bound
//! over the largest bond of each subtree as the round began (bonds only shrink within a round), each
//! member's read as the round leaves it.
//!
//! Only that, and the full scans, read what a round changes (the free capacity and bonds of providers
//! that take matcher jobs); the rest reads what providers offer, their reputation, rates and quotes,
//! and the free capacity and bonds of providers outside matching, which the round never assigns. So a
//! job is explained in two steps: `Explainer::prepare` as soon as the round leaves it open, from the
//! providers as the round began, on whichever core is free while the round settles others in posting
//! order; `Explainer::finish` once the round is over, from the providers as it leaves them, as the
//! reference explains (`exhaustive`).

use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use compute_market::state::{Rates, Resources};

use crate::explain::{explain_with_bonds, Unmatched};
use crate::index::best::{may_be_valid, price_bound};
use crate::index::census::{Census, Cheapest, Tally};
use crate::index::tree::{Member, Node};
use crate::plan::{Candidate, OpenJob};
use crate::quotes::QuoteBook;

/// What explanations read of a round as it began, none of which it changes.
pub(crate) struct Explainer {
    /// Every provider, at its own rates.
    own: Built,
    /// For each token an open job is paid in, the providers quoting it.
    by_mint: HashMap<Pubkey, Built>,
    /// Each authority's providers, by index in the round's order (one, unless the node lists it twice).
    entries: HashMap<Pubkey, Vec<u32>>,
    /// The providers that do not take matcher jobs, in the round's order.
    outside: Vec<u32>,
    /// The providers in the round's order as it began.
    providers: Vec<Candidate>,
}

/// A forest's tree as the round began (`tree::Tree::nodes`, `tree::Tree::members`).
pub(crate) struct Built {
    pub nodes: Vec<Node>,
    pub members: Vec<Member>,
    /// The rates are quotes in this token; none for the providers' own rates.
    pub mint: Option<Pubkey>,
    /// Each provider's free bond in the tree's currency as the round began.
    pub bonds: Vec<u64>,
    /// The members as columns, for the counts.
    census: Census,
}

impl Built {
    pub fn new(nodes: Vec<Node>, members: Vec<Member>, mint: Option<Pubkey>, bonds: Vec<u64>) -> Built {
        let census = Census::of(&members, mint.is_some());
        Built { nodes, members, mint, bonds, census }
    }
}

/// What `Explainer::prepare` found.
#[derive(Debug)]
pub(crate) enum Prepared {
    /// Said from what the round does not change.
    Said(Unmatched),
    /// Only `explain::explain_with_bonds` says it, over the providers as the round leaves them: all of
    /// them, or the job's reserved provider's entries.
    Scan { reserved: bool },
    /// Asks for a bond, `matched` providers within the price: said once the largest free bond among
    /// them (but the `exceptions`, by index, that may not take it) is known.
    Bonded { matched: usize, exceptions: Vec<u32> },
}

impl Explainer {
    pub fn new(own: Built, by_mint: HashMap<Pubkey, Built>, providers: &[Candidate]) -> Explainer {
        let mut entries: HashMap<Pubkey, Vec<u32>> = HashMap::with_capacity(providers.len());
        for (i, p) in providers.iter().enumerate() {
            entries.entry(p.authority).or_default().push(i as u32);
        }
        let outside = (0..providers.len() as u32).filter(|&i| !providers[i as usize].takes_matcher_jobs()).collect();
        Explainer { own, by_mint, entries, outside, providers: providers.to_vec() }
    }

    fn built_for(&self, job: &OpenJob) -> &Built {
        match job.payment_mint {
            None => &self.own,
            Some(mint) => &self.by_mint[&mint],
        }
    }

    /// The providers of `authority`, by index in the round's order.
    fn entries_of(&self, authority: &Pubkey) -> &[u32] {
        self.entries.get(authority).map_or(&[], Vec::as_slice)
    }

    /// What can be said of why no provider can take each of `jobs` (at most `census::JOBS`, all paid
    /// in the same currency) from what the round does not change; none if `stop` says so first.
    pub fn prepare(&self, jobs: &[&OpenJob], quotes: &QuoteBook, stop: impl Fn() -> bool) -> Option<Vec<Prepared>> {
        // GPU needs filter providers one by one, which the counts do not: the full scan. So is a job
        // reserved for a provider, over its entries.
        let scanned = |job: &OpenJob| match (job.requirements.gpus > 0 && !job.gpu.is_any(), job.target.is_some()) {
            (true, _) => Some(Prepared::Scan { reserved: false }),
            (false, true) => Some(Prepared::Scan { reserved: true }),
            (false, false) => None,
        };
        let counted: Vec<&OpenJob> = jobs.iter().copied().filter(|job| scanned(job).is_none()).collect();
        let mut tallies = match counted.first() {
            Some(first) => self.built_for(first).census.tally(&counted, &self.providers, stop)?.into_iter(),
            None => Vec::new().into_iter(),
        };
        Some(jobs.iter().map(|job| scanned(job).unwrap_or_else(|| self.prepared(job, tallies.next().expect("a tally per job counted"), quotes))).collect())
    }

    /// What can be said of `job` given its `tally`.
    fn prepared(&self, job: &OpenJob, tally: Tally, quotes: &QuoteBook) -> Prepared {
        let (providers, built) = (&self.providers, self.built_for(job));
        let quoted = built.mint.is_some();
        let cheapest = match tally.cheapest {
            Cheapest::Price(price) => Some(price),
            Cheapest::None => None,
            Cheapest::Unknown => cheapest(built, providers, job),
        };
        let Some(cheapest) = cheapest else {
            return Prepared::Scan { reserved: false };
        };
        if cheapest > job.max_price_per_hour {
            return Prepared::Said(Unmatched::PriceTooHigh { cheapest, maximum: job.max_price_per_hour, currency: quotes.currency(job) });
        }
        let rates_of = |i: usize| -> Option<Rates> {
            match job.payment_mint {
                None => Some(providers[i].rates),
                Some(_) => quotes.rates_for(&providers[i], job).copied(),
            }
        };
        // Within the price: eligible, offering, quoting validly, reputable and affordable.
        let affordable = |i: usize| {
            let p = &providers[i];
            p.may_take(job)
                && job.requirements.fits_in(&p.capacity)
                && p.reputation >= job.min_reputation
                && rates_of(i).is_some_and(|rates| price_or_max(&rates, &job.requirements) <= job.max_price_per_hour)
        };
        let price = |i: usize| rates_of(i).map_or(u64::MAX, |rates| price_or_max(&rates, &job.requirements));
        // Counted over every provider, then the client's own and those that released it taken back out.
        let mut exceptions: Vec<u32> = self.entries_of(&job.client).to_vec();
        for authority in &job.released_by {
            exceptions.extend_from_slice(self.entries_of(authority));
        }
        exceptions.sort_unstable();
        exceptions.dedup();
        let mut matched = tally.within_price;
        for &i in &exceptions {
            let p = &providers[i as usize];
            // Its rates in the tree: its own, or its quote in the job's token whether or not valid.
            let rates = match built.mint {
                None => Some(p.rates),
                Some(mint) => quotes.quote(&p.authority, &mint),
            };
            let counted = p.takes_matcher_jobs()
                && job.requirements.fits_in(&p.capacity)
                && p.reputation >= job.min_reputation
                && rates.is_some_and(|rates| (!quoted || rates.is_valid_for(&job.requirements)) && price_or_max(&rates, &job.requirements) <= job.max_price_per_hour);
            if counted && (!p.may_take(job) || p.released(job)) {
                matched -= 1;
            }
        }
        let released = exceptions.iter().map(|&i| i as usize).filter(|&i| providers[i].released(job) && affordable(i)).min();
        // Could take it now: room, and the bond asked for (a provider outside matching keeps both).
        let able = |i: usize| job.requirements.fits_in(&providers[i].free) && job.bond_suffices(built.bonds[i]);
        let outside = self.outside.iter().map(|&i| i as usize).filter(|&i| !providers[i].released(job) && affordable(i));
        let blocking = if matched == 0 { outside.min_by_key(|&i| (!able(i), price(i))) } else { outside.filter(|&i| able(i)).min_by_key(|&i| price(i)) };
        if let Some(i) = blocking {
            return Prepared::Said(Unmatched::NotOptedIn { provider: providers[i].authority, reserved: false, clients_may_assign: providers[i].takes_client_jobs() });
        }
        if let (0, Some(i)) = (matched, released) {
            return Prepared::Said(Unmatched::Released { provider: providers[i].authority, reserved: false });
        }
        if job.is_bonded() {
            return Prepared::Bonded { matched, exceptions };
        }
        Prepared::Said(Unmatched::Busy { fitting: matched })
    }

    /// Why no provider can take `job` (which the round left open), as `explain::explain` says, from what
    /// `prepare` found and the providers and free `bonds` (in the job's currency) as the round leaves them.
    pub fn finish(&self, job: &OpenJob, prepared: Prepared, providers: &[Candidate], bonds: &[u64], quotes: &QuoteBook) -> Unmatched {
        match prepared {
            Prepared::Said(why) => why,
            Prepared::Scan { reserved: false } => explain_with_bonds(job, providers, bonds, quotes),
            Prepared::Scan { reserved: true } => {
                let entries = job.target.map_or(&[][..], |target| self.entries_of(&target));
                let reserved: Vec<Candidate> = entries.iter().map(|&i| providers[i as usize].clone()).collect();
                let reserved_bonds: Vec<u64> = entries.iter().map(|&i| bonds[i as usize]).collect();
                explain_with_bonds(job, &reserved, &reserved_bonds, quotes)
            }
            Prepared::Bonded { matched, exceptions } => {
                let excepted = |i: usize| exceptions.binary_search(&(i as u32)).is_ok() && (!providers[i].may_take(job) || providers[i].released(job));
                let largest = largest_bond(self.built_for(job), bonds, job, excepted);
                if !job.bond_suffices(largest) {
                    return Unmatched::BondTooSmall { largest, minimum: job.min_bond, currency: quotes.currency(job), reserved: false };
                }
                Unmatched::Busy { fitting: matched }
            }
        }
    }
}

/// The largest free bond now (`bonds`) among the providers `count_within_price` counts but those
/// `excepted`, or any at least the job's minimum bond (enough to know bonds do not stand in the way);
/// 0 if none has any.
fn largest_bond(tree: &Built, bonds: &[u64], job: &OpenJob, excepted: impl Fn(usize) -> bool) -> u64 {
    let quoted = tree.mint.is_some();
    let asked = &job.requirements;
    let max = job.max_price_per_hour;
    let mut largest = 0;
    let mut stack = vec![0u32];
    while let Some(node) = stack.pop() {
        let n = &tree.nodes[node as usize];
        if job.bond_suffices(largest) {
            break;
        }
        if n.takers == 0 || n.max_bond <= largest || !may_qualify(n, job, quoted) || price_bound(&n.min_rates, asked) > max {
            continue;
        }
        if !n.is_leaf() {
            let [a, b] = [n.children, n.children + 1];
            let (near, far) = if tree.nodes[a as usize].max_bond >= tree.nodes[b as usize].max_bond { (a, b) } else { (b, a) };
            stack.extend([far, near]);
            continue;
        }
        for m in &tree.members[n.lo as usize..n.hi as usize] {
            let (i, rates) = (m.index as usize, &m.rates);
            let counted = m.takes_matcher_jobs
                && asked.fits_in(&m.capacity)
                && m.reputation >= job.min_reputation
                && (!quoted || rates.is_valid_for(asked))
                && price_or_max(rates, asked) <= max;
            if counted && bonds[i] > largest && !excepted(i) {
                largest = bonds[i];
            }
        }
    }
    largest
}

/// The price as `explain::explain` weighs it (`hourly_price`, `u64::MAX` where it overflows), worked out
/// inline: the counts weigh it for most providers.
#[inline]
fn price_or_max(rates: &Rates, asked: &Resources) -> u64 {
    price_bound(rates, asked)
}

/// A member may offer the resources, have the reputation and (`quoted`) quote validly.
fn may_qualify(node: &Node, job: &OpenJob, quoted: bool) -> bool {
    job.requirements.fits_in(&node.max_capacity) && node.max_reputation >= job.min_reputation && (!quoted || may_be_valid(node, &job.requirements))
}

/// The lowest price (`u64::MAX` when it overflows) among providers in `tree` other than the client's
/// own that offer the resources, quote validly and have the reputation asked for; none if none does.
/// By branch and bound over the tree: for a job whose cheapest the census leaves to a search (some of
/// the cheapest are its client's own).
fn cheapest(tree: &Built, providers: &[Candidate], job: &OpenJob) -> Option<u64> {
    let quoted = tree.mint.is_some();
    let asked = &job.requirements;
    let mut best: Option<u64> = None;
    let mut stack = vec![0u32];
    while let Some(node) = stack.pop() {
        let n = &tree.nodes[node as usize];
        if n.lo == n.hi || !may_qualify(n, job, quoted) || best.is_some_and(|b| price_bound(&n.min_rates, asked) >= b) {
            continue;
        }
        if !n.is_leaf() {
            let [a, b] = [n.children, n.children + 1];
            let (near, far) = if price_bound(&tree.nodes[a as usize].min_rates, asked) <= price_bound(&tree.nodes[b as usize].min_rates, asked) { (a, b) } else { (b, a) };
            stack.extend([far, near]);
            continue;
        }
        for m in &tree.members[n.lo as usize..n.hi as usize] {
            let rates = &m.rates;
            // What the member holds first; whom it may take the job from (the round's providers) last.
            if asked.fits_in(&m.capacity) && m.reputation >= job.min_reputation && (!quoted || rates.is_valid_for(asked)) && providers[m.index as usize].may_take(job) {
                let price = price_or_max(rates, asked);
                best = Some(best.map_or(price, |b| b.min(price)));
            }
        }
    }
    best
}
