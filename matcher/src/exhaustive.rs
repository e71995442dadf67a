//! The exhaustive round, the reference `plan` is held to: each job in posting order weighs every
//! provider above its reputation floor (split over the cores) and takes the best by `ranks_above`.
//! Jobs x providers: kept for the equivalence tests and the bench.

use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use compute_market::math::pricing::hourly_price;
use compute_market::state::Rates;
use rayon::prelude::*;

use crate::explain::{explain, Unmatched};
use crate::plan::{assign, in_round_order, ranks_above, Candidate, Decision, OpenJob};
use crate::quotes::QuoteBook;
use crate::score::score;

/// Decides every job of one round by weighing every provider for each: what `plan` decides.
pub fn plan_exhaustive(jobs: &[OpenJob], providers: &[Candidate], quotes: &QuoteBook, paused: bool) -> Vec<Decision> {
    let mut providers = in_round_order(providers);
    // Each token's quotes laid out beside the providers, once per round: the scan reads them by index.
    let mut columns: HashMap<Pubkey, Vec<Option<Rates>>> = HashMap::new();
    for mint in jobs.iter().filter_map(|j| j.payment_mint) {
        columns.entry(mint).or_insert_with(|| quotes.column(&mint, &providers));
    }
    jobs.iter()
        .map(|job| {
            if paused {
                return Decision::Leave { job: job.address, why: Unmatched::MarketPaused };
            }
            let pricing = match job.payment_mint {
                None => Pricing::OwnRates,
                Some(mint) => Pricing::Quotes(&columns[&mint]),
            };
            match best(job, &providers, pricing) {
                Some(choice) => assign(job, choice, &mut providers),
                None => Decision::Leave { job: job.address, why: explain(job, &providers, quotes) },
            }
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
fn best(job: &OpenJob, providers: &[Candidate], pricing: Pricing) -> Option<(usize, u64, u64)> {
    let reputable = providers.partition_point(|p| p.reputation >= job.min_reputation);
    providers[..reputable]
        .par_chunks(CHUNK)
        .enumerate()
        .filter_map(|(chunk, slice)| best_in(job, slice, pricing.from(chunk * CHUNK)).map(|(i, price, score)| (chunk * CHUNK + i, price, score)))
        .reduce_with(|a, b| if ranks_above(b, a, providers) { b } else { a })
}

fn best_in(job: &OpenJob, providers: &[Candidate], pricing: Pricing) -> Option<(usize, u64, u64)> {
    let mut best: Option<(usize, u64, u64)> = None;
    for (index, provider) in providers.iter().enumerate() {
        // Cheapest refusals first: this loop runs jobs x providers times. Reputation was cut by `best`.
        if !provider.takes_matcher_jobs() || !job.requirements.fits_in(&provider.free) || !provider.may_take(job) || provider.released(job) {
            continue;
        }
        let Some(price) = pricing.rates(index, provider, job).and_then(|rates| hourly_price(rates, &job.requirements)) else { continue };
        if price > job.max_price_per_hour {
            continue;
        }
        let value = score(price, job.max_price_per_hour, provider.reputation, &job.requirements, &provider.free, provider.active_jobs);
        let candidate = (index, price, value);
        if best.is_none_or(|current| ranks_above(candidate, current, providers)) {
            best = Some(candidate);
        }
    }
    best
}
