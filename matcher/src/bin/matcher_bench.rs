//! Decision time of one matching round: 10,000 open jobs against 10,000 active providers, and 100,000
//! against 100,000, generated from a fixed seed with the same distributions; one job in ten is paid in a
//! token that every other provider quotes; half the providers bonded (in lamports, and in the token when
//! they quote it), one job in five asking for a minimum bond. The indexed round (`plan`) is timed at both sizes, the
//! exhaustive one (`plan_exhaustive`, jobs x providers) at the smaller for comparison, where both must
//! decide the same. Prints the figures (and appends them to a report file if one is given).

use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use compute_market::constants::ASSIGN_BY_MATCHER;
use compute_market::state::{GpuNeeds, Rates, Resources};
use compute_market_matcher::{plan, plan_exhaustive, Candidate, Decision, OpenJob, QuoteBook};

/// Markets as (open jobs, providers).
const SIZES: [(usize, usize); 2] = [(10_000, 10_000), (100_000, 100_000)];

/// The largest market the exhaustive round is timed on too.
const EXHAUSTIVE_UP_TO: usize = 10_000;

/// A small deterministic generator (64-bit LCG), so every run decides the same market.
struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn key(n: usize, tag: u8) -> Pubkey {
    let mut bytes = [tag; 32];
    bytes[..8].copy_from_slice(&(n as u64).to_le_bytes());
    Pubkey::new_from_array(bytes)
}

/// The token some jobs are paid in.
const TOKEN: Pubkey = Pubkey::new_from_array([9; 32]);

fn market(rng: &mut Seeded, jobs: usize, providers: usize) -> (Vec<OpenJob>, Vec<Candidate>, QuoteBook) {
    let mut providers: Vec<Candidate> = (0..providers)
        .map(|i| {
            let gpus = if rng.below(5) == 0 { 1 + rng.below(8) as u16 } else { 0 };
            let capacity = Resources { cpu_cores: 4 + rng.below(125) as u16, ram_gb: 8 + rng.below(505) as u32, storage_gb: 50 + rng.below(2_000) as u32, gpus };
            let rates = Rates {
                per_core: 1_000_000 + rng.below(9_000_000),
                per_gb_ram: 100_000 + rng.below(900_000),
                per_gb_storage: 1_000 + rng.below(9_000),
                per_gpu: if gpus > 0 { 50_000_000 + rng.below(450_000_000) } else { 0 },
            };
            let free = Resources { cpu_cores: capacity.cpu_cores / 2, ..capacity };
            let (reputation, active_jobs) = (rng.below(10_001) as u16, rng.below(4) as u32);
            // Every GPU an A100 80 GB; jobs ask for any GPU.
            let (gpu_model, vram_gb) = if gpus > 0 { (0x0202, 80) } else { (0, 0) };
            Candidate { authority: key(i, 1), rates, capacity, free, reputation, active_jobs, assignment: ASSIGN_BY_MATCHER, gpu_model, vram_gb, bond: 0 }
        })
        .collect();
    let mut jobs: Vec<OpenJob> = (0..jobs)
        .map(|i| OpenJob {
            address: key(i, 2),
            client: key(i, 3),
            requirements: Resources {
                cpu_cores: 1 + rng.below(32) as u16,
                ram_gb: 1 + rng.below(128) as u32,
                storage_gb: rng.below(500) as u32,
                gpus: if rng.below(10) == 0 { 1 + rng.below(4) as u16 } else { 0 },
            },
            max_price_per_hour: 50_000_000 + rng.below(1_000_000_000),
            min_reputation: rng.below(8_000) as u16,
            target: None,
            payment_mint: (rng.below(10) == 0).then_some(TOKEN),
            gpu: GpuNeeds::default(),
            released_by: vec![],
            min_bond: 0,
        })
        .collect();
    let mut quotes = QuoteBook::default();
    for provider in providers.iter().step_by(2) {
        // The token is worth a thousandth of a lamport's price per unit here: the same ranking, other units.
        let r = provider.rates;
        let rates = Rates { per_core: r.per_core / 1_000, per_gb_ram: r.per_gb_ram / 1_000, per_gb_storage: r.per_gb_storage.div_ceil(1_000), per_gpu: r.per_gpu / 1_000 };
        quotes.add_quote(provider.authority, TOKEN, rates);
    }
    add_bonds(&mut Seeded(rng.0 ^ 0x5eed), &mut jobs, &mut providers, &mut quotes);
    (jobs, providers, quotes)
}

/// Bonds, drawn apart from the rest of the market: half the providers bonded with up to 20 SOL free
/// (and, when they quote the token, a thousandth of that in it); one job in five asking for 0.1 to 5.1
/// SOL (a thousandth of that for a token job), so that a bonded provider backs a few bonded jobs.
fn add_bonds(rng: &mut Seeded, jobs: &mut [OpenJob], providers: &mut [Candidate], quotes: &mut QuoteBook) {
    for (i, provider) in providers.iter_mut().enumerate() {
        if rng.below(2) == 0 {
            provider.bond = rng.below(20_000_000_000);
            if i % 2 == 0 {
                quotes.add_bond(provider.authority, TOKEN, provider.bond / 1_000);
            }
        }
    }
    for job in jobs.iter_mut() {
        if rng.below(5) == 0 {
            let min_bond = 100_000_000 + rng.below(5_000_000_000);
            job.min_bond = if job.payment_mint.is_some() { min_bond / 1_000 } else { min_bond };
        }
    }
}

type Round = fn(&[OpenJob], &[Candidate], &QuoteBook, bool) -> Vec<Decision>;

/// The best of `runs` runs of `round`, and its decisions.
fn timed(round: Round, runs: usize, jobs: &[OpenJob], providers: &[Candidate], quotes: &QuoteBook) -> (Duration, Vec<Decision>) {
    let mut best = (Duration::MAX, Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        let decisions = round(jobs, providers, quotes, false);
        best = (best.0.min(start.elapsed()), decisions);
    }
    best
}

fn main() {
    let mut lines = Vec::new();
    for (jobs, providers) in SIZES {
        let (jobs, providers, quotes) = market(&mut Seeded(42), jobs, providers);
        let size = format!("{} open jobs x {} providers", jobs.len(), providers.len());
        // Rounds of a second or less are timed best of three; longer ones once.
        let runs = if jobs.len() <= EXHAUSTIVE_UP_TO { 3 } else { 1 };
        let runs_said = if runs == 1 { "one run".to_owned() } else { format!("best of {runs}") };
        let (elapsed, decisions) = timed(plan, runs, &jobs, &providers, &quotes);
        let assigned = decisions.iter().filter(|d| matches!(d, Decision::Assign { .. })).count();
        let line = format!("Matcher decision time, {size}: {:.3} s (indexed, {runs_said}; {assigned} assigned, {} explained)", elapsed.as_secs_f64(), jobs.len() - assigned);
        println!("{line}");
        lines.push(line);
        if jobs.len() <= EXHAUSTIVE_UP_TO {
            let (exhaustive, reference) = timed(plan_exhaustive, runs, &jobs, &providers, &quotes);
            assert!(decisions == reference, "the indexed round decided {size} differently from the exhaustive one");
            let line = format!("Matcher decision time, {size}: {:.3} s (exhaustive, {runs_said}; the same decisions)", exhaustive.as_secs_f64());
            println!("{line}");
            lines.push(line);
        }
    }
    if let Some(report) = std::env::args().nth(1) {
        let mut text = std::fs::read_to_string(&report).unwrap_or_default();
        text.push_str(&format!("\n{}\n", lines.join("\n")));
        std::fs::write(&report, text).expect("the report file is writable");
    }
}
