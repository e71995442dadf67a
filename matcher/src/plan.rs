//! One matching round over plain data: jobs in posting order, each to the best-scoring provider that can
//! take it now, the capacity it reserves counted before the next job is considered (as `assign_job`
//! will reserve it on chain). Only providers that opted in to assignment by the matcher are assigned
//! jobs, and never a job they gave back. A job paid in a token goes only to a provider quoting that mint,
//! priced and ranked by its quote (`QuoteBook`); a lamport job by the provider's own rates. A job asking
//! for a minimum bond goes only to a provider with at least that much of its bond free in the job's
//! currency (lamports, `Candidate::bond`, or the job's token, `QuoteBook::bond_for`), and the assignment
//! locks it there before the next job is considered (as `assign_job` will lock it on chain).

use std::cmp::Reverse;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER};
use compute_market::state::{GpuNeeds, Job, Provider, Rates, Resources};
use rayon::prelude::*;

use crate::explain::Unmatched;
use crate::index::{Choice, Explainer, Prepared, ProviderIndex, PREPARED_TOGETHER};
use crate::quotes::QuoteBook;

/// What the matcher needs of an open job.
#[derive(Clone, Debug)]
pub struct OpenJob {
    pub address: Pubkey,
    pub client: Pubkey,
    pub requirements: Resources,
    pub max_price_per_hour: u64,
    pub min_reputation: u16,
    pub target: Option<Pubkey>,
    /// The token it is paid in; none for lamports.
    pub payment_mint: Option<Pubkey>,
    /// What each GPU it asks for must be.
    pub gpu: GpuNeeds,
    /// Providers (authorities) that had the job and released it (declined it, or did not start it and
    /// its client took it back): the matcher does not assign it to them again.
    pub released_by: Vec<Pubkey>,
    /// The bond the provider must have free in the job's currency (lamports, or base units of its token)
    /// to take it, locked while it is in flight; 0 for none.
    pub min_bond: u64,
}

impl OpenJob {
    pub fn from_account(address: Pubkey, job: &Job, released_by: Vec<Pubkey>) -> OpenJob {
        OpenJob {
            address,
            client: job.client,
            requirements: job.requirements,
            max_price_per_hour: job.max_price_per_hour,
            min_reputation: job.min_reputation,
            target: job.target_provider(),
            payment_mint: job.is_token_job().then_some(job.payment_mint),
            gpu: job.gpu,
            released_by,
            min_bond: job.min_bond,
        }
    }
}

/// What the matcher needs of an active provider.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub authority: Pubkey,
    pub rates: Rates,
    pub capacity: Resources,
    pub free: Resources,
    pub reputation: u16,
    pub active_jobs: u32,
    /// The provider's published assignment policy: ASSIGN_BY_CLIENTS and ASSIGN_BY_MATCHER flags.
    pub assignment: u8,
    /// The model of its GPUs and GB of memory on each (0 without GPUs).
    pub gpu_model: u16,
    pub vram_gb: u16,
    /// Its lamport bond free for jobs to lock (`Bond::free`; 0 without one). Token bonds are in the
    /// round's `QuoteBook`.
    pub bond: u64,
}

impl Candidate {
    pub fn from_account(provider: &Provider) -> Candidate {
        Candidate {
            authority: provider.authority,
            rates: provider.rates,
            capacity: provider.capacity,
            free: provider.free,
            reputation: provider.reputation,
            active_jobs: provider.active_jobs,
            assignment: provider.assignment,
            gpu_model: provider.gpu_model,
            vram_gb: provider.vram_gb,
            bond: 0,
        }
    }

    /// With its free lamport bond (`Bond::free` of its lamport bond).
    pub fn with_bond(self, bond: u64) -> Candidate {
        Candidate { bond, ..self }
    }

    /// May take this job at all: not its own client's, the provider it is reserved for if any, and with
    /// GPUs that meet its needs (as `assign_job` checks them).
    #[inline]
    pub fn may_take(&self, job: &OpenJob) -> bool {
        self.may_be_asked(job) && self.gpus_meet(job)
    }

    /// Not its own client's job, and the provider it is reserved for if any.
    pub fn may_be_asked(&self, job: &OpenJob) -> bool {
        self.authority != job.client && job.target.is_none_or(|target| target == self.authority)
    }

    /// Its GPUs meet the job's needs, or the job asks for none.
    #[inline]
    pub fn gpus_meet(&self, job: &OpenJob) -> bool {
        job.requirements.gpus == 0 || job.gpu.is_any() || job.gpu.lack(self.gpu_model, self.vram_gb).is_none()
    }

    /// The provider consents to jobs assigned by the market's matcher (the program refuses the others).
    pub fn takes_matcher_jobs(&self) -> bool {
        self.assignment & ASSIGN_BY_MATCHER != 0
    }

    /// The provider consents to jobs assigned by their clients.
    pub fn takes_client_jobs(&self) -> bool {
        self.assignment & ASSIGN_BY_CLIENTS != 0
    }

    /// Released this job before: the matcher leaves it to the others.
    pub fn released(&self, job: &OpenJob) -> bool {
        job.released_by.contains(&self.authority)
    }
}

impl OpenJob {
    /// Asks for a minimum bond.
    pub fn is_bonded(&self) -> bool {
        self.min_bond > 0
    }

    /// A provider with `bond` free in the job's currency may take it (`assign_job` refuses less).
    #[inline]
    pub fn bond_suffices(&self, bond: u64) -> bool {
        bond >= self.min_bond
    }
}

/// Each provider's free bond in `job`'s currency, in the providers' order: lamport bonds from the
/// providers themselves, token bonds from `quotes`. What a round locks bonds on as it assigns.
pub(crate) fn bond_column(job_mint: Option<Pubkey>, providers: &[Candidate], quotes: &QuoteBook) -> Vec<u64> {
    match job_mint {
        None => providers.iter().map(|p| p.bond).collect(),
        Some(mint) => quotes.bond_column(&mint, providers),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Assign { job: Pubkey, provider: Pubkey, price_per_hour: u64, score: u64 },
    Leave { job: Pubkey, why: Unmatched },
}

/// Decides every job of one round, token jobs priced by `quotes`. `paused` leaves them all open. The
/// same decisions as `plan_exhaustive`, found through the providers' index (`index`).
pub fn plan(jobs: &[OpenJob], providers: &[Candidate], quotes: &QuoteBook, paused: bool) -> Vec<Decision> {
    if paused {
        return jobs.iter().map(|job| Decision::Leave { job: job.address, why: Unmatched::MarketPaused }).collect();
    }
    // On one of the pool's threads, which then takes part in each batch's search rather than waiting
    // beside the pool while it runs: as many threads busy as there are cores, no more.
    rayon::scope(|_| decide(jobs, providers, quotes))
}

/// `plan` of a market that is not paused.
fn decide(jobs: &[OpenJob], providers: &[Candidate], quotes: &QuoteBook) -> Vec<Decision> {
    let mut providers = in_round_order(providers);
    let mut index = ProviderIndex::build(&providers, jobs, quotes);
    let explainer = Arc::clone(index.explainer());
    let mut decisions: Vec<Option<Decision>> = vec![None; jobs.len()];
    // The jobs left open so far, and what their explanations can say before the round is over.
    let (mut unprepared, mut prepared): (Vec<usize>, Vec<(usize, Prepared)>) = (Vec::new(), Vec::new());
    for (start, batch) in (0..jobs.len()).step_by(BATCH).zip(jobs.chunks(BATCH)) {
        // Each job of the batch searched at once against the providers as they are before it...
        index.refresh();
        let guesses: Vec<Vec<Choice>> = index.top_of_each::<GUESSES>(batch, &providers);
        // ...then settled in posting order against what the jobs before it in the batch took, on this
        // core, while the others prepare the explanations of the jobs left open before (`prepare`).
        let settled = AtomicBool::new(false);
        let (left_open, (done, rest)) = rayon::join(
            || {
                let mut left_open = Vec::new();
                let mut taken: Vec<usize> = Vec::with_capacity(BATCH);
                for (j, (job, guess)) in (start..).zip(batch.iter().zip(guesses)) {
                    match settle(job, guess, &taken, &index, &providers) {
                        Some(choice) => {
                            decisions[j] = Some(assign(job, choice, &mut providers));
                            index.assigned(job, choice.0, &providers);
                            taken.push(choice.0);
                        }
                        None => left_open.push(j),
                    }
                }
                settled.store(true, Ordering::Release);
                left_open
            },
            || prepare(&explainer, jobs, quotes, std::mem::take(&mut unprepared), &settled),
        );
        prepared.extend(done);
        unprepared = rest;
        unprepared.extend(left_open);
    }
    // The rest prepared, and all finished against the providers as the round leaves them (`explain`), at once.
    let mut groups = Vec::new();
    while !unprepared.is_empty() {
        groups.push(same_currency(&mut unprepared, jobs));
    }
    prepared.par_extend(groups.into_par_iter().flat_map_iter(|group| {
        let found = explainer.prepare(&group.iter().map(|&j| &jobs[j]).collect::<Vec<_>>(), quotes, || false).expect("never stopped");
        group.into_iter().zip(found)
    }));
    let why: Vec<(usize, Unmatched)> = prepared.into_par_iter().map(|(j, prepared)| (j, index.explain(&jobs[j], prepared, &providers, quotes))).collect();
    for (j, why) in why {
        decisions[j] = Some(Decision::Leave { job: jobs[j].address, why });
    }
    decisions.into_iter().map(|d| d.expect("every job decided")).collect()
}

/// Prepares the explanations of the jobs `unprepared` (by place in `jobs`), a few paid alike at a time,
/// until `settled`: what was prepared, and what was not.
fn prepare(explainer: &Explainer, jobs: &[OpenJob], quotes: &QuoteBook, mut unprepared: Vec<usize>, settled: &AtomicBool) -> (Vec<(usize, Prepared)>, Vec<usize>) {
    let mut done = Vec::new();
    while !unprepared.is_empty() {
        let group = same_currency(&mut unprepared, jobs);
        match explainer.prepare(&group.iter().map(|&j| &jobs[j]).collect::<Vec<_>>(), quotes, || settled.load(Ordering::Acquire)) {
            Some(found) => done.extend(group.into_iter().zip(found)),
            None => {
                unprepared.extend(group);
                break;
            }
        }
    }
    (done, unprepared)
}

/// Takes out of `jobs_at` (places in `jobs`) the last and up to `census::JOBS` in all paid in its
/// currency, from the end.
fn same_currency(jobs_at: &mut Vec<usize>, jobs: &[OpenJob]) -> Vec<usize> {
    let mint = jobs[*jobs_at.last().expect("a job")].payment_mint;
    let mut group = Vec::with_capacity(PREPARED_TOGETHER);
    let mut k = jobs_at.len();
    while k > 0 && group.len() < PREPARED_TOGETHER {
        k -= 1;
        if jobs[jobs_at[k]].payment_mint == mint {
            group.push(jobs_at.remove(k));
        }
    }
    group
}

/// Jobs searched at once (in groups over the cores, `index::group`) before they are settled in posting
/// order.
const BATCH: usize = 128;

/// Providers guessed per job: the job's best ones before its batch began.
const GUESSES: usize = 2;

/// `job`'s choice given `guesses`, its best providers as they were before the jobs of its batch that
/// came before it took `taken`. Only those changed since: the best of the others is the first guess not
/// taken (or none, when fewer than `GUESSES` could take it and all were taken; or unknown when all were,
/// and then the job is searched again), and it stands unless a taken one now ranks above it (its free
/// capacity shrank, which can raise its fit).
fn settle(job: &OpenJob, guesses: Vec<Choice>, taken: &[usize], index: &ProviderIndex, providers: &[Candidate]) -> Option<Choice> {
    let untaken = guesses.iter().copied().find(|(provider, _, _)| !taken.contains(provider));
    if untaken.is_none() && guesses.len() == GUESSES {
        return index.best(job, providers);
    }
    taken.iter().filter_map(|&provider| index.weigh(job, providers, provider)).fold(untaken, |best, candidate| match best {
        Some(current) if !ranks_above(candidate, current, providers) => Some(current),
        _ => Some(candidate),
    })
}

/// The providers in the order a round weighs them: highest reputation first (a job's reputation floor
/// then cuts the exhaustive scan to a prefix), the order they were listed in among equals. The
/// ranking's own tie-breaks make the choice independent of this order but for entries that tie on
/// everything, where the earlier wins; the explanations name the first of several in this order.
pub(crate) fn in_round_order(providers: &[Candidate]) -> Vec<Candidate> {
    let mut providers = providers.to_vec();
    providers.sort_by_key(|p| Reverse(p.reputation));
    providers
}

/// Reserves `job`'s resources on the chosen provider, as `assign_job` will, and says so.
pub(crate) fn assign(job: &OpenJob, (index, price, score): (usize, u64, u64), providers: &mut [Candidate]) -> Decision {
    let chosen = &mut providers[index];
    chosen.free = chosen.free.checked_sub(&job.requirements).unwrap_or_default();
    chosen.active_jobs += 1;
    Decision::Assign { job: job.address, provider: chosen.authority, price_per_hour: price, score }
}

/// Higher score first, then the lower price, then the lower provider address, then the earlier in the
/// round's order.
pub(crate) fn ranks_above(a: (usize, u64, u64), b: (usize, u64, u64), providers: &[Candidate]) -> bool {
    let key = |(index, price, score): (usize, u64, u64)| (score, Reverse(price), Reverse(providers[index].authority), Reverse(index));
    key(a) > key(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exhaustive::plan_exhaustive;

    /// The indexed round, checked against the exhaustive one.
    fn planned(jobs: &[OpenJob], providers: &[Candidate], quotes: &QuoteBook, paused: bool) -> Vec<Decision> {
        let decisions = plan(jobs, providers, quotes, paused);
        assert_eq!(decisions, plan_exhaustive(jobs, providers, quotes, paused));
        decisions
    }

    fn provider(seed: u8, cores: u16, per_core: u64, reputation: u16) -> Candidate {
        let capacity = Resources { cpu_cores: cores, ram_gb: 0, storage_gb: 0, gpus: 0 };
        Candidate {
            authority: Pubkey::new_from_array([seed; 32]),
            rates: Rates { per_core, ..Default::default() },
            capacity,
            free: capacity,
            reputation,
            active_jobs: 0,
            assignment: ASSIGN_BY_MATCHER,
            gpu_model: 0,
            vram_gb: 0,
            bond: 0,
        }
    }

    fn job(seed: u8, cores: u16, max_price: u64) -> OpenJob {
        OpenJob {
            address: Pubkey::new_from_array([100 + seed; 32]),
            client: Pubkey::new_from_array([200; 32]),
            requirements: Resources { cpu_cores: cores, ram_gb: 0, storage_gb: 0, gpus: 0 },
            max_price_per_hour: max_price,
            min_reputation: 0,
            target: None,
            payment_mint: None,
            gpu: GpuNeeds::default(),
            released_by: vec![],
            min_bond: 0,
        }
    }

    fn assigned(decision: &Decision) -> Option<Pubkey> {
        match decision {
            Decision::Assign { provider, .. } => Some(*provider),
            Decision::Leave { .. } => None,
        }
    }

    #[test]
    fn the_cheaper_of_equal_providers_wins_and_capacity_is_counted_within_the_round() {
        let providers = [provider(1, 4, 200, 5_000), provider(2, 4, 100, 5_000)];
        let decisions = planned(&[job(1, 4, 1_000), job(2, 4, 1_000), job(3, 4, 1_000)], &providers, &QuoteBook::default(), false);
        assert_eq!(assigned(&decisions[0]), Some(providers[1].authority));
        assert_eq!(assigned(&decisions[1]), Some(providers[0].authority), "the cheap one is full now");
        assert_eq!(decisions[2], Decision::Leave { job: job(3, 4, 0).address, why: Unmatched::Busy { fitting: 2 } });
    }

    #[test]
    fn reputation_can_outweigh_a_small_price_difference() {
        let providers = [provider(1, 4, 100, 1_000), provider(2, 4, 110, 9_000)];
        let decisions = planned(&[job(1, 4, 1_000)], &providers, &QuoteBook::default(), false);
        assert_eq!(assigned(&decisions[0]), Some(providers[1].authority));
    }

    #[test]
    fn a_client_never_gets_its_own_provider_and_targets_are_respected() {
        let mut own = provider(200, 8, 1, 10_000);
        own.authority = job(1, 1, 0).client;
        let other = provider(3, 8, 50, 0);
        assert_eq!(assigned(&planned(&[job(1, 1, 1_000)], &[own.clone(), other.clone()], &QuoteBook::default(), false)[0]), Some(other.authority));
        let mut reserved = job(2, 1, 1_000);
        reserved.target = Some(Pubkey::new_from_array([9; 32]));
        assert!(assigned(&planned(&[reserved], &[own, other], &QuoteBook::default(), false)[0]).is_none());
    }

    #[test]
    fn a_paused_market_leaves_every_job_open() {
        let providers = [provider(1, 4, 100, 5_000)];
        assert_eq!(planned(&[job(1, 1, 1_000)], &providers, &QuoteBook::default(), true)[0], Decision::Leave { job: job(1, 1, 0).address, why: Unmatched::MarketPaused });
    }

    const USDC: Pubkey = Pubkey::new_from_array([77; 32]);

    fn usdc_job(seed: u8, cores: u16, max_price: u64) -> OpenJob {
        OpenJob { payment_mint: Some(USDC), ..job(seed, cores, max_price) }
    }

    fn per_core(per_core: u64) -> Rates {
        Rates { per_core, ..Default::default() }
    }

    #[test]
    fn a_token_job_goes_to_the_cheapest_provider_quoting_its_mint_at_its_quote() {
        // Equal providers but for their USDC quotes; the lamport rates say the opposite, and do not count.
        let providers = [provider(1, 4, 1, 5_000), provider(2, 4, 1_000, 5_000), provider(3, 4, 1, 5_000)];
        let mut quotes = QuoteBook::default();
        quotes.add_quote(providers[0].authority, USDC, per_core(300_000));
        quotes.add_quote(providers[1].authority, USDC, per_core(200_000));
        quotes.add_quote(providers[2].authority, Pubkey::new_from_array([88; 32]), per_core(1));
        match &planned(&[usdc_job(1, 2, 1_000_000)], &providers, &quotes, false)[0] {
            Decision::Assign { provider, price_per_hour, .. } => {
                assert_eq!(*provider, providers[1].authority, "the cheaper USDC quote");
                assert_eq!(*price_per_hour, 2 * 200_000, "priced by the quote, in USDC base units");
            }
            other => panic!("expected an assignment, got {other:?}"),
        }
        // A lamport job in the same round is still priced by the lamport rates.
        assert_eq!(assigned(&planned(&[job(2, 2, 1_000)], &providers, &quotes, false)[0]), Some(providers[0].authority));
    }

    #[test]
    fn a_provider_with_room_but_no_quote_in_the_mint_is_skipped() {
        let roomy = provider(1, 64, 1, 10_000);
        let small = provider(2, 2, 1, 0);
        let mut quotes = QuoteBook::default();
        quotes.add_quote(small.authority, USDC, per_core(500_000));
        let decisions = planned(&[usdc_job(1, 2, 1_000_000), usdc_job(2, 2, 1_000_000)], &[roomy.clone(), small.clone()], &quotes, false);
        assert_eq!(assigned(&decisions[0]), Some(small.authority), "the only provider quoting USDC");
        assert_eq!(decisions[1], Decision::Leave { job: usdc_job(2, 2, 0).address, why: Unmatched::Busy { fitting: 1 } }, "the roomy one quotes no USDC");
        // A quote that leaves a resource the job asks for unpriced is refused by the program: skipped too.
        let mut with_ram = small;
        (with_ram.capacity.ram_gb, with_ram.free.ram_gb) = (4, 4);
        let mut ram_job = usdc_job(3, 1, 1_000_000);
        ram_job.requirements.ram_gb = 1;
        assert!(assigned(&planned(&[ram_job.clone()], &[with_ram.clone()], &quotes, false)[0]).is_none());
        quotes.add_quote(with_ram.authority, USDC, Rates { per_core: 500_000, per_gb_ram: 1, ..Default::default() });
        assert_eq!(assigned(&planned(&[ram_job], &[with_ram.clone()], &quotes, false)[0]), Some(with_ram.authority));
    }

    #[test]
    fn only_providers_that_opted_in_are_matched() {
        let mut cheap = provider(1, 4, 10, 5_000);
        cheap.assignment = ASSIGN_BY_CLIENTS;
        let dear = provider(2, 4, 100, 5_000);
        let decisions = planned(&[job(1, 4, 1_000), job(2, 4, 1_000)], &[cheap.clone(), dear.clone()], &QuoteBook::default(), false);
        assert_eq!(assigned(&decisions[0]), Some(dear.authority), "the cheaper one takes no jobs from the matcher");
        assert!(assigned(&decisions[1]).is_none(), "nor does it once the other is full");
        cheap.assignment = ASSIGN_BY_MATCHER | ASSIGN_BY_CLIENTS;
        assert_eq!(assigned(&planned(&[job(1, 4, 1_000)], &[cheap.clone(), dear], &QuoteBook::default(), false)[0]), Some(cheap.authority));
    }

    #[test]
    fn a_released_job_goes_to_another_provider_and_never_back() {
        let providers = [provider(1, 4, 10, 5_000), provider(2, 4, 100, 5_000)];
        let mut released = job(1, 4, 1_000);
        released.released_by = vec![providers[0].authority];
        assert_eq!(assigned(&planned(&[released.clone()], &providers, &QuoteBook::default(), false)[0]), Some(providers[1].authority));
        released.released_by.push(providers[1].authority);
        assert!(assigned(&planned(&[released], &providers, &QuoteBook::default(), false)[0]).is_none());
    }

    #[test]
    fn equal_scores_go_to_the_lower_price_then_the_lower_address() {
        // 4 cores at 100 (price 400) with reputation 5,000, or at 125 (price 500) with 6,402: both score
        // 5,850, the dearer one by 50 hundredths more before rounding down. The cheaper wins, though the
        // dearer is more reputable (searched first) and has the lower address.
        let cheap = provider(9, 4, 100, 5_000);
        let dear = provider(1, 4, 125, 6_402);
        let decisions = planned(&[job(1, 4, 1_000)], &[dear.clone(), cheap.clone()], &QuoteBook::default(), false);
        assert_eq!(decisions[0], Decision::Assign { job: job(1, 4, 0).address, provider: cheap.authority, price_per_hour: 400, score: 5_850 });
        // Same score and price: the lower address, wherever it is listed.
        let twins: Vec<Candidate> = [7, 3, 5].map(|seed| provider(seed, 4, 100, 5_000)).to_vec();
        let decisions = planned(&[job(1, 4, 1_000), job(2, 4, 1_000), job(3, 4, 1_000)], &twins, &QuoteBook::default(), false);
        assert_eq!(decisions.iter().map(assigned).collect::<Vec<_>>(), [3, 5, 7].map(|seed| Some(Pubkey::new_from_array([seed; 32]))));
    }

    #[test]
    fn ties_spread_over_many_subtrees_are_broken_as_by_the_exhaustive_scan() {
        // Two hundred identical providers but for their addresses (listed in no order): every subtree
        // bounds the same score and price, so none can be skipped before the lowest address is found.
        let providers: Vec<Candidate> = (0..200u8).map(|i| provider(i.wrapping_mul(77).wrapping_add(1), 8, 100, 7_000)).collect();
        let jobs: Vec<OpenJob> = (0..100u8).map(|i| job(i, 3 + u16::from(i % 3), 1_000)).collect();
        let decisions = planned(&jobs, &providers, &QuoteBook::default(), false);
        let mut lowest: Vec<Pubkey> = providers.iter().map(|p| p.authority).collect();
        lowest.sort();
        assert_eq!(assigned(&decisions[0]), Some(lowest[0]));
    }

    fn bonded(provider: Candidate, bond: u64) -> Candidate {
        provider.with_bond(bond)
    }

    fn bonded_job(seed: u8, cores: u16, max_price: u64, min_bond: u64) -> OpenJob {
        OpenJob { min_bond, ..job(seed, cores, max_price) }
    }

    #[test]
    fn a_bonded_job_goes_only_to_a_provider_with_that_much_bond_free() {
        // The cheaper one has 999 free, one short of the minimum; the dearer one has the whole of it.
        let cheap = bonded(provider(1, 8, 100, 5_000), 999);
        let dear = bonded(provider(2, 8, 200, 5_000), 1_000);
        let providers = [cheap.clone(), dear.clone()];
        assert_eq!(assigned(&planned(&[bonded_job(1, 4, 1_000, 1_000)], &providers, &QuoteBook::default(), false)[0]), Some(dear.authority));
        // Without a minimum bond the cheaper one wins: either bond covers about 4% of a day at 1,000/h.
        assert_eq!(assigned(&planned(&[job(2, 4, 1_000)], &providers, &QuoteBook::default(), false)[0]), Some(cheap.authority));
        // Nobody with enough free: left open, and bonds are named.
        let decisions = planned(&[bonded_job(3, 4, 1_000, 5_000)], &providers, &QuoteBook::default(), false);
        assert_eq!(
            decisions[0],
            Decision::Leave {
                job: job(3, 4, 0).address,
                why: Unmatched::BondTooSmall { largest: 1_000, minimum: 5_000, currency: QuoteBook::default().currency(&job(3, 4, 0)), reserved: false }
            }
        );
    }

    #[test]
    fn the_bond_weighs_in_the_score() {
        // Equal but for their bonds: 12,000 covers half a day at 1,000/h (+750), 24,000 all of it (+1,500).
        let half = bonded(provider(1, 4, 100, 5_000), 12_000);
        let whole = bonded(provider(2, 4, 100, 5_000), 24_000);
        let decisions = planned(&[job(1, 4, 1_000)], &[half.clone(), whole.clone()], &QuoteBook::default(), false);
        // 35% of 6,000 + 25% of 5,000 + 15% of 10,000 (bond) + 15% of 10,000 (fit) + 10% of 10,000 (load).
        assert_eq!(decisions[0], Decision::Assign { job: job(1, 4, 0).address, provider: whole.authority, price_per_hour: 400, score: 7_350 });
        let decisions = planned(&[job(1, 4, 1_000)], &[half.clone()], &QuoteBook::default(), false);
        assert_eq!(decisions[0], Decision::Assign { job: job(1, 4, 0).address, provider: half.authority, price_per_hour: 400, score: 6_600 });
    }

    #[test]
    fn a_round_locks_bonds_as_it_assigns_until_a_provider_has_too_little_left() {
        // 250 free: the first two jobs lock 100 each, the third finds 50 where it needs 100, though there is room.
        let roomy = bonded(provider(1, 64, 100, 5_000), 250);
        let jobs = [bonded_job(1, 2, 1_000, 100), bonded_job(2, 2, 1_000, 100), bonded_job(3, 2, 1_000, 100), job(4, 2, 1_000)];
        let decisions = planned(&jobs, &[roomy.clone()], &QuoteBook::default(), false);
        assert_eq!(decisions[..2].iter().map(assigned).collect::<Vec<_>>(), [Some(roomy.authority); 2]);
        let sol = QuoteBook::default().currency(&jobs[2]);
        assert_eq!(decisions[2], Decision::Leave { job: jobs[2].address, why: Unmatched::BondTooSmall { largest: 50, minimum: 100, currency: sol, reserved: false } });
        assert_eq!(assigned(&decisions[3]), Some(roomy.authority), "a job asking for no bond still fits");
        // A second bonded provider takes the third, once the first is short.
        let other = bonded(provider(2, 64, 300, 5_000), 100);
        let decisions = planned(&jobs, &[roomy.clone(), other.clone()], &QuoteBook::default(), false);
        assert_eq!(decisions.iter().map(assigned).collect::<Vec<_>>(), [Some(roomy.authority), Some(roomy.authority), Some(other.authority), Some(roomy.authority)]);
        // Neither room nor bond: room is what is named when some provider has the bond free.
        let mut full = roomy.clone();
        full.free = Resources::default();
        let decisions = planned(&[bonded_job(1, 2, 1_000, 100)], &[full], &QuoteBook::default(), false);
        assert_eq!(decisions[0], Decision::Leave { job: jobs[0].address, why: Unmatched::Busy { fitting: 1 } });
    }

    #[test]
    fn bonds_of_providers_that_may_not_take_the_job_are_not_named() {
        // The client's own provider and one that released the job hold large bonds; the one left holds 10.
        let mut own = bonded(provider(200, 8, 100, 5_000), 1_000_000);
        own.authority = job(1, 1, 0).client;
        let released = bonded(provider(3, 8, 100, 5_000), 1_000_000);
        let short = bonded(provider(4, 8, 100, 5_000), 10);
        let asking = OpenJob { released_by: vec![released.authority], ..bonded_job(1, 2, 1_000, 100) };
        let decisions = planned(&[asking.clone()], &[own, released, short], &QuoteBook::default(), false);
        let sol = QuoteBook::default().currency(&asking);
        assert_eq!(decisions[0], Decision::Leave { job: asking.address, why: Unmatched::BondTooSmall { largest: 10, minimum: 100, currency: sol, reserved: false } });
    }

    #[test]
    fn a_token_job_is_bonded_in_its_mint() {
        // A large lamport bond does not back a USDC job; a USDC bond does, and is what the job locks.
        let lamports = bonded(provider(1, 8, 1, 5_000), 1_000_000_000);
        let usdc = provider(2, 8, 1, 5_000);
        let mut quotes = QuoteBook::default();
        quotes.add_quote(lamports.authority, USDC, per_core(100_000));
        quotes.add_quote(usdc.authority, USDC, per_core(200_000));
        quotes.add_bond(usdc.authority, USDC, 3_000_000);
        quotes.add_bond(lamports.authority, Pubkey::new_from_array([88; 32]), 1_000_000_000);
        let jobs = [OpenJob { min_bond: 2_000_000, ..usdc_job(1, 2, 1_000_000) }, OpenJob { min_bond: 2_000_000, ..usdc_job(2, 2, 1_000_000) }];
        let decisions = planned(&jobs, &[lamports.clone(), usdc.clone()], &quotes, false);
        assert_eq!(assigned(&decisions[0]), Some(usdc.authority), "the only USDC bond");
        let currency = quotes.currency(&jobs[1]);
        assert_eq!(
            decisions[1],
            Decision::Leave { job: jobs[1].address, why: Unmatched::BondTooSmall { largest: 1_000_000, minimum: 2_000_000, currency, reserved: false } },
            "the first job locked 2 of its 3 USDC"
        );
        // A lamport job asking for the same bond goes to the lamport bond.
        assert_eq!(assigned(&planned(&[bonded_job(3, 2, 1_000, 2_000_000)], &[lamports.clone(), usdc], &quotes, false)[0]), Some(lamports.authority));
    }

    #[test]
    fn the_assignment_carries_the_price_the_matcher_computed() {
        let providers = [provider(1, 8, 123, 5_000)];
        match &planned(&[job(1, 3, 1_000)], &providers, &QuoteBook::default(), false)[0] {
            Decision::Assign { price_per_hour, .. } => assert_eq!(*price_per_hour, 3 * 123),
            other => panic!("expected an assignment, got {other:?}"),
        }
    }
}
