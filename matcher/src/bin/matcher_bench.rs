//! Decision time of one matching round: 10,000 open jobs against 10,000 active providers, generated
//! from a fixed seed; one job in ten is paid in a token that every other provider quotes. Prints the
//! figures (and appends them to a report file if one is given).

use anchor_lang::prelude::Pubkey;
use compute_market::constants::ASSIGN_BY_MATCHER;
use compute_market::state::{Rates, Resources};
use compute_market_matcher::service::time_plan;
use compute_market_matcher::{Candidate, Decision, OpenJob, QuoteBook};

const JOBS: usize = 10_000;
const PROVIDERS: usize = 10_000;

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

fn market(rng: &mut Seeded) -> (Vec<OpenJob>, Vec<Candidate>, QuoteBook) {
    let providers: Vec<Candidate> = (0..PROVIDERS)
        .map(|i| {
            let gpus = if rng.below(5) == 0 { 1 + rng.below(8) as u16 } else { 0 };
            let capacity = Resources {
                cpu_cores: 4 + rng.below(125) as u16,
                ram_gb: 8 + rng.below(505) as u32,
                storage_gb: 50 + rng.below(2_000) as u32,
                gpus,
            };
            let rates = Rates {
                per_core: 1_000_000 + rng.below(9_000_000),
                per_gb_ram: 100_000 + rng.below(900_000),
                per_gb_storage: 1_000 + rng.below(9_000),
                per_gpu: if gpus > 0 { 50_000_000 + rng.below(450_000_000) } else { 0 },
            };
            let free = Resources { cpu_cores: capacity.cpu_cores / 2, ..capacity };
            let (reputation, active_jobs) = (rng.below(10_001) as u16, rng.below(4) as u32);
            Candidate { authority: key(i, 1), rates, capacity, free, reputation, active_jobs, assignment: ASSIGN_BY_MATCHER }
        })
        .collect();
    let jobs = (0..JOBS)
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
            released_by: vec![],
        })
        .collect();
    let mut quotes = QuoteBook::default();
    for provider in providers.iter().step_by(2) {
        // The token is worth a thousandth of a lamport's price per unit here: the same ranking, other units.
        let r = provider.rates;
        let rates = Rates { per_core: r.per_core / 1_000, per_gb_ram: r.per_gb_ram / 1_000, per_gb_storage: r.per_gb_storage.div_ceil(1_000), per_gpu: r.per_gpu / 1_000 };
        quotes.add_quote(provider.authority, TOKEN, rates);
    }
    (jobs, providers, quotes)
}

fn main() {
    let mut rng = Seeded(42);
    let (jobs, providers, quotes) = market(&mut rng);
    let mut times = Vec::new();
    let mut assigned = 0;
    for _ in 0..3 {
        let (elapsed, decisions) = time_plan(&jobs, &providers, &quotes);
        assigned = decisions.iter().filter(|d| matches!(d, Decision::Assign { .. })).count();
        times.push(elapsed);
    }
    let best = times.iter().min().expect("three runs");
    let line = format!(
        "Matcher decision time, {JOBS} open jobs x {PROVIDERS} providers: {:.3} s (best of 3; {assigned} assigned, {} explained)",
        best.as_secs_f64(),
        JOBS - assigned
    );
    println!("{line}");
    if let Some(report) = std::env::args().nth(1) {
        let mut text = std::fs::read_to_string(&report).unwrap_or_default();
        text.push_str(&format!("\n{line}\n"));
        std::fs::write(&report, text).expect("the report file is writable");
    }
}
