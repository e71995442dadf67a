//! The exhaustive round, the reference `plan` is held to: each job in posting order weighs every
//! provider above its reputation floor (split over the cores) and takes the best by `ranks_above`,
//! locking its minimum bond on the chosen provider's bond in its currency; the jobs left open are
//! explained once all are decided, against the providers as the round leaves them (`explain`).
//! Jobs x providers: kept for the equivalence tests and the bench.

use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use compute_market::math::pricing::hourly_price;
use compute_market::state::Rates;
use rayon::prelude::*;

use crate::explain::{explain_with_bonds, Unmatched};
use crate::plan::{assign, bond_column, in_round_order, ranks_above, Candidate, Decision, OpenJob};
use crate::quotes::QuoteBook;
use crate::score::score;

/// Decides every job of one round by weighing every provider for each: what `plan` decides.
pub fn plan_exhaustive(jobs: &[OpenJob], providers: &[Candidate], quotes: &QuoteBook, paused: bool) -> Vec<Decision> {
    if paused {
        return jobs.iter().map(|job| Decision::Leave { job: job.address, why: Unmatched::MarketPaused }).collect();
    }
    let mut providers = in_round_order(providers);
    // The free lamport bonds, and each token's quotes and free bonds, laid out beside the providers once
    // per round: the scan reads them by index, and assignments lock bonds there.
    let mut lamport_bonds = bond_column(None, &providers, quotes);
    let mut columns: HashMap<Pubkey, (Vec<Option<Rates>>, Vec<u64>)> = HashMap::new();
    for mint in jobs.iter().filter_map(|j| j.payment_mint) {
        columns.entry(mint).or_insert_with(|| (quotes.column(&mint, &providers), bond_column(Some(mint), &providers, quotes)));
    }
    let mut decisions: Vec<Option<Decision>> = Vec::with_capacity(jobs.len());
    for job in jobs {
        let (pricing, bonds) = match job.payment_mint {
            None => (Pricing::OwnRates, &mut lamport_bonds),
            Some(mint) => {
                let (rates, bonds) = columns.get_mut(&mint).expect("a column per mint");
                (Pricing::Quotes(rates.as_slice()), bonds)
            }
        };
        let decision = best(job, &providers, pricing, bonds).map(|choice| {
            bonds[choice.0] -= job.min_bond;
            assign(job, choice, &mut providers)
        });
        decisions.push(decision);
    }
    jobs.iter()
        .zip(decisions)
        .map(|(job, decision)| {
            decision.unwrap_or_else(|| {
                let bonds = match job.payment_mint {
                    None => &lamport_bonds,
                    Some(mint) => &columns[&mint].1,
                };
                Decision::Leave { job: job.address, why: explain_with_bonds(job, &providers, bonds, quotes) }
            })
        })
        .collect()
}

/// What prices a job: the providers' own rates (lamports), or their quotes in its token, one per
/// provider in the round's order (none where a provider does not quote it).
#[derive(Clone, Copy)]
enum Pricing<'a> {
    OwnRates,
    Quotes(&'a [Option<Rates>]),
}

impl<'a> Pricing<'a> {
    /// The part of the quotes that goes with the providers from `start`.
    fn from(self, start: usize) -> Pricing<'a> {
        match self {
            Pricing::OwnRates => Pricing::OwnRates,
            Pricing::Quotes(column) => Pricing::Quotes(&column[start..]),
        }
    }

    /// The rates of the `index`-th provider for `job`: a quote must price every resource the job asks
    /// for (the program refuses one that does not).
    #[inline]
    fn rates<'p>(self, index: usize, provider: &'p Candidate, job: &OpenJob) -> Option<&'p Rates>
    where
        'a: 'p,
    {
        match self {
            Pricing::OwnRates => Some(&provider.rates),
            Pricing::Quotes(column) => column[index].as_ref().filter(|rates| rates.is_valid_for(&job.requirements)),
        }
    }
}

/// Providers scanned per task when a round is split over the machine's cores.
const CHUNK: usize = 1_024;

/// The index, price and score of the best provider that can take `job` now, among `providers` sorted by
/// reputation, highest first. The scan is split over
/// the cores; the order of the ranking (score, then lower price, then lower address) makes the choice
/// the same however it is split.
fn best(job: &OpenJob, providers: &[Candidate], pricing: Pricing, bonds: &[u64]) -> Option<(usize, u64, u64)> {
    let reputable = providers.partition_point(|p| p.reputation >= job.min_reputation);
    providers[..reputable]
        .par_chunks(CHUNK)
        .enumerate()
        .filter_map(|(chunk, slice)| {
            let start = chunk * CHUNK;
            best_in(job, slice, pricing.from(start), &bonds[start..]).map(|(i, price, score)| (start + i, price, score))
        })
        .reduce_with(|a, b| if ranks_above(b, a, providers) { b } else { a })
}

fn best_in(job: &OpenJob, providers: &[Candidate], pricing: Pricing, bonds: &[u64]) -> Option<(usize, u64, u64)> {
    let mut best: Option<(usize, u64, u64)> = None;
    for (index, provider) in providers.iter().enumerate() {
        // Cheapest refusals first: this loop runs jobs x providers times. Reputation was cut by `best`.
        let bond = bonds[index];
        if !provider.takes_matcher_jobs()
            || !job.requirements.fits_in(&provider.free)
            || !job.bond_suffices(bond)
            || !provider.may_take(job)
            || provider.released(job)
        {
            continue;
        }
        let Some(price) = pricing.rates(index, provider, job).and_then(|rates| hourly_price(rates, &job.requirements)) else { continue };
        if price > job.max_price_per_hour {
            continue;
        }
        let value = score(price, job.max_price_per_hour, provider.reputation, &job.requirements, &provider.free, provider.active_jobs, bond);
        let candidate = (index, price, value);
        if best.is_none_or(|current| ranks_above(candidate, current, providers)) {
            best = Some(candidate);
        }
    }
    best
}
