//! The indexed round decides exactly what the exhaustive round decides: every assignment (provider,
//! price, score) and every explanation, over random markets of a few thousand jobs and providers built
//! to reach every filter and tie: providers outside matching, clients' own providers, targets (active
//! or not), released jobs, reputation floors, prices above every ceiling, overflowing prices, jobs no
//! provider offers, tokens quoted partly, invalidly or by nobody, scores that tie, and bonds: jobs asking
//! for a minimum bond in lamports or in their token, providers bonded in some currencies, with bonds
//! the round exhausts; and markets drawn from wide ranges, with few ties.

use anchor_lang::prelude::Pubkey;
use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, MAX_RATE_PER_UNIT_HOUR};
use compute_market::state::{GpuNeeds, Rates, Resources};
use compute_market_matcher::{plan, plan_exhaustive, Candidate, Decision, OpenJob, QuoteBook, Unmatched};

/// A small deterministic generator (64-bit LCG).
struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    /// True once in `n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

fn key(n: usize, tag: u8) -> Pubkey {
    let mut bytes = [tag; 32];
    bytes[..8].copy_from_slice(&(n as u64).to_le_bytes());
    Pubkey::new_from_array(bytes)
}

const USDC: Pubkey = Pubkey::new_from_array([7; 32]);
const EURC: Pubkey = Pubkey::new_from_array([8; 32]);
/// Paid in by some jobs, quoted by nobody.
const UNQUOTED: Pubkey = Pubkey::new_from_array([9; 32]);

fn provider(rng: &mut Seeded, i: usize) -> Candidate {
    let gpus = if rng.one_in(4) { 1 + rng.below(8) as u16 } else { 0 };
    let capacity =
        Resources { cpu_cores: 2 + rng.below(63) as u16, ram_gb: 4 + rng.below(256) as u32, storage_gb: if rng.one_in(8) { 0 } else { 10 + rng.below(1_000) as u32 }, gpus };
    // Free capacity from none to all of it; coarse so that fits tie.
    let share = |total: u64, rng: &mut Seeded| total * rng.below(5) / 4;
    let free = Resources {
        cpu_cores: share(capacity.cpu_cores.into(), rng) as u16,
        ram_gb: share(capacity.ram_gb.into(), rng) as u32,
        storage_gb: share(capacity.storage_gb.into(), rng) as u32,
        gpus: share(capacity.gpus.into(), rng) as u16,
    };
    // Rates from a few values, so that prices (and scores) tie; now and then one that overflows a price.
    let rates = Rates {
        per_core: if rng.one_in(200) { u64::MAX / 3 } else { rng.pick(&[1_000, 2_000, 3_000, 5_000]) },
        per_gb_ram: rng.pick(&[100, 200, 300]),
        per_gb_storage: rng.pick(&[1, 2, 5]),
        per_gpu: if gpus > 0 { rng.pick(&[50_000, 80_000, 120_000]) } else { 0 },
    };
    let (gpu_model, vram_gb) = if gpus > 0 { GPU_MODELS[rng.below(4) as usize] } else { (0, 0) };
    let assignment = match rng.below(10) {
        0 => ASSIGN_BY_CLIENTS,
        1 => 0,
        2 => ASSIGN_BY_MATCHER | ASSIGN_BY_CLIENTS,
        _ => ASSIGN_BY_MATCHER,
    };
    Candidate {
        // Now and then the same authority as another provider, or as some job's client.
        authority: if rng.one_in(300) {
            key(rng.below(i as u64 + 1) as usize, 1)
        } else if rng.one_in(100) {
            key(rng.below(50) as usize, 3)
        } else {
            key(i, 1)
        },
        rates,
        capacity,
        free,
        reputation: rng.pick(&[0, 1_000, 2_500, 5_000, 7_500, 8_000, 9_000, 9_500, 10_000]) + rng.below(3) as u16,
        active_jobs: rng.below(4) as u32,
        assignment,
        gpu_model,
        vram_gb,
        bond: 0,
    }
}

/// GPU models and their memory: A100 40 and 80 GB, H100 80 GB, RTX 4090 24 GB.
const GPU_MODELS: [(u16, u16); 4] = [(0x0201, 40), (0x0202, 80), (0x0101, 80), (0x0401, 24)];

fn job(rng: &mut Seeded, i: usize, providers: &[Candidate]) -> OpenJob {
    let requirements = if rng.one_in(40) {
        // More than anyone offers.
        Resources { cpu_cores: 200, ram_gb: 1, storage_gb: 0, gpus: 0 }
    } else {
        Resources {
            cpu_cores: rng.below(17) as u16,
            ram_gb: rng.below(65) as u32,
            storage_gb: if rng.one_in(3) { 0 } else { rng.below(300) as u32 },
            gpus: if rng.one_in(6) { 1 + rng.below(4) as u16 } else { 0 },
        }
    };
    let requirements = if requirements == Resources::default() { Resources { cpu_cores: 1, ..requirements } } else { requirements };
    let max_price_per_hour = match rng.below(20) {
        0 => 0,
        1 => u64::MAX,
        2 => rng.below(5_000),
        _ => rng.below(600_000),
    };
    let target = match rng.below(25) {
        0 => Some(providers[rng.below(providers.len() as u64) as usize].authority),
        1 => Some(key(999_999, 1)),
        _ => None,
    };
    let mut released_by: Vec<Pubkey> = (0..rng.pick(&[0, 0, 0, 1, 3])).map(|_| providers[rng.below(providers.len() as u64) as usize].authority).collect();
    let (requirements, target) = match rng.below(40) {
        // Released by the provider it is reserved for.
        0 => {
            let target = providers[rng.below(providers.len() as u64) as usize].authority;
            released_by.push(target);
            (requirements, Some(target))
        }
        // Eight GPUs, released by every provider with eight that takes matcher jobs.
        1 => {
            released_by.extend(providers.iter().filter(|p| p.capacity.gpus == 8 && p.takes_matcher_jobs()).map(|p| p.authority));
            (Resources { cpu_cores: 1, ram_gb: 1, storage_gb: 0, gpus: 8 }, None)
        }
        _ => (requirements, target),
    };
    // A GPU job now and then needs memory, a family or a list of models (some that nobody has).
    let gpu = if requirements.gpus > 0 && rng.one_in(2) {
        match rng.below(4) {
            0 => GpuNeeds { min_vram_gb: rng.pick(&[24, 40, 80, 81]), ..GpuNeeds::default() },
            1 => GpuNeeds { family: rng.pick(&[0x01, 0x02, 0x0b]), ..GpuNeeds::default() },
            2 => GpuNeeds { models: [rng.pick(&[0x0202, 0x0401, 0x0b01]), 0x0101, 0, 0], ..GpuNeeds::default() },
            _ => GpuNeeds { family: 0x02, min_vram_gb: 80, ..GpuNeeds::default() },
        }
    } else {
        GpuNeeds::default()
    };
    OpenJob {
        address: key(i, 2),
        client: key(rng.below(60) as usize, 3),
        requirements,
        gpu,
        max_price_per_hour,
        min_reputation: rng.pick(&[0, 0, 2_000, 5_000, 8_000, 9_500, 10_001]),
        target,
        payment_mint: match rng.below(10) {
            0 | 1 => Some(USDC),
            2 => Some(EURC),
            3 if rng.one_in(4) => Some(UNQUOTED),
            _ => None,
        },
        released_by,
        min_bond: 0,
    }
}

fn quotes(rng: &mut Seeded, providers: &[Candidate]) -> QuoteBook {
    let mut book = QuoteBook::default();
    for p in providers {
        for mint in [USDC, EURC] {
            if rng.one_in(3) {
                continue;
            }
            let r = p.rates;
            let mut rates = Rates { per_core: r.per_core / 10, per_gb_ram: r.per_gb_ram / 10, per_gb_storage: r.per_gb_storage, per_gpu: r.per_gpu / 10 };
            // Some quotes leave a resource unpriced, or price one above the ceiling: invalid for jobs
            // asking for it.
            match rng.below(12) {
                0 => rates.per_gb_ram = 0,
                1 => rates.per_gb_storage = 0,
                2 => rates.per_gpu = MAX_RATE_PER_UNIT_HOUR + 1,
                _ => {}
            }
            book.add_quote(p.authority, mint, rates);
        }
    }
    book
}

/// Free bonds, from a few values so that bond parts tie: small ones two jobs exhaust.
const BONDS: [u64; 7] = [0, 20_000, 50_000, 100_000, 1_000_000, 5_000_000, 30_000_000];

/// Minimum bonds jobs ask for; the last above every bond.
const MIN_BONDS: [u64; 6] = [1, 20_000, 50_000, 1_000_000, 5_000_000, 40_000_000];

/// Bonds from their own generator (`seed`), so that the rest of the market is what it was without them:
/// half the providers bonded in lamports, a third in each token; one job in four asking for a bond.
fn add_bonds(seed: u64, jobs: &mut [OpenJob], providers: &mut [Candidate], quotes: &mut QuoteBook) {
    let mut rng = Seeded(seed);
    for p in providers.iter_mut() {
        if rng.one_in(2) {
            p.bond = rng.pick(&BONDS);
        }
        for mint in [USDC, EURC, UNQUOTED] {
            if rng.one_in(3) {
                quotes.add_bond(p.authority, mint, rng.pick(&BONDS) / 10);
            }
        }
    }
    for job in jobs.iter_mut() {
        if rng.one_in(4) {
            let min_bond = rng.pick(&MIN_BONDS);
            job.min_bond = if job.payment_mint.is_some() { min_bond.div_ceil(10) } else { min_bond };
        }
    }
}

fn market(seed: u64, jobs: usize, providers: usize) -> (Vec<OpenJob>, Vec<Candidate>, QuoteBook) {
    let mut rng = Seeded(seed);
    let mut providers: Vec<Candidate> = (0..providers).map(|i| provider(&mut rng, i)).collect();
    let mut jobs: Vec<OpenJob> = (0..jobs).map(|i| job(&mut rng, i, &providers)).collect();
    let mut quotes = quotes(&mut rng, &providers);
    add_bonds(seed.wrapping_mul(7_919).wrapping_add(13), &mut jobs, &mut providers, &mut quotes);
    (jobs, providers, quotes)
}

fn assert_same_decisions(jobs: &[OpenJob], providers: &[Candidate], quotes: &QuoteBook) {
    let indexed = plan(jobs, providers, quotes, false);
    let exhaustive = plan_exhaustive(jobs, providers, quotes, false);
    assert_eq!(indexed.len(), exhaustive.len());
    for (j, (a, b)) in indexed.iter().zip(&exhaustive).enumerate() {
        assert_eq!(a, b, "job {j} ({:?}) decided differently", jobs[j]);
    }
}

#[test]
fn random_markets_are_decided_as_the_exhaustive_round_decides_them() {
    for (seed, jobs, providers) in [(1, 3_000, 2_000), (2, 2_000, 3_000), (3, 4_000, 1_000), (4, 1_000, 4_000), (5, 300, 50)] {
        let (jobs, providers, quotes) = market(seed, jobs, providers);
        let decisions = plan(&jobs, &providers, &quotes, false);
        let assigned = decisions.iter().filter(|d| matches!(d, Decision::Assign { .. })).count();
        // The market reaches both outcomes, and more than one kind of explanation.
        assert!(assigned > 0 && assigned < jobs.len(), "seed {seed}: {assigned} of {} assigned", jobs.len());
        assert_same_decisions(&jobs, &providers, &quotes);
    }
}

#[test]
fn every_kind_of_explanation_is_reached_and_matches() {
    let (jobs, providers, quotes) = market(11, 3_000, 1_500);
    let decisions = plan(&jobs, &providers, &quotes, false);
    let mut kinds: Vec<&str> = decisions
        .iter()
        .filter_map(|d| match d {
            Decision::Leave { why, .. } => Some(format!("{why:?}").split([' ', '{']).next().map(str::to_owned).unwrap_or_default()),
            Decision::Assign { .. } => None,
        })
        .map(|kind| Box::leak(kind.into_boxed_str()) as &str)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    for reserved in [false, true] {
        let released = |d: &Decision| matches!(d, Decision::Leave { why: Unmatched::Released { reserved: r, .. }, .. } if *r == reserved);
        assert!(decisions.iter().any(released), "no job left open as released (reserved: {reserved})");
    }
    for kind in ["BondTooSmall", "Busy", "NoQuote", "NotOffered", "NotOptedIn", "PriceTooHigh", "Released", "ReputationTooLow", "TargetInactive"] {
        assert!(kinds.contains(&kind), "no job left open as {kind}: {kinds:?}");
    }
    assert_same_decisions(&jobs, &providers, &quotes);
}

#[test]
fn a_market_without_providers_or_paused_is_decided_the_same() {
    let (jobs, providers, quotes) = market(21, 200, 100);
    assert_same_decisions(&jobs, &[], &quotes);
    assert_eq!(plan(&jobs, &providers, &quotes, true), plan_exhaustive(&jobs, &providers, &quotes, true));
}

#[test]
fn bonds_exhausted_within_a_round_are_decided_the_same() {
    // Few providers, small bonds and many bonded jobs: most bonds run out before the round ends.
    let (mut jobs, mut providers, mut quotes) = market(31, 2_000, 300);
    let mut rng = Seeded(97);
    for p in providers.iter_mut() {
        p.bond = rng.pick(&[0, 50_000, 100_000, 150_000]);
        quotes.add_bond(p.authority, USDC, rng.pick(&[0, 5_000, 10_000]));
    }
    for job in jobs.iter_mut() {
        if !rng.one_in(3) {
            job.min_bond = if job.payment_mint.is_some() { 5_000 } else { 50_000 };
        }
    }
    let decisions = plan(&jobs, &providers, &quotes, false);
    let short = decisions.iter().filter(|d| matches!(d, Decision::Leave { why: Unmatched::BondTooSmall { .. }, .. })).count();
    let locked_twice = providers.iter().any(|p| {
        decisions.iter().zip(&jobs).filter(|(d, j)| j.min_bond > 0 && j.payment_mint.is_none() && matches!(d, Decision::Assign { provider, .. } if *provider == p.authority)).count() >= 2
    });
    assert!(short > 0 && locked_twice, "{short} left open for bonds; some bond locked twice: {locked_twice}");
    assert_same_decisions(&jobs, &providers, &quotes);
}

/// Providers and jobs with values drawn from wide ranges, as a real market's (few ties): scores that
/// differ by a point or less are common, which is where a bound worked out in single precision would
/// show an error.
fn wide_market(seed: u64, jobs: usize, providers: usize) -> (Vec<OpenJob>, Vec<Candidate>, QuoteBook) {
    let mut rng = Seeded(seed);
    let mut quotes = QuoteBook::default();
    let providers: Vec<Candidate> = (0..providers)
        .map(|i| {
            let gpus = if rng.one_in(5) { 1 + rng.below(8) as u16 } else { 0 };
            let capacity = Resources { cpu_cores: 2 + rng.below(127) as u16, ram_gb: 4 + rng.below(1_020) as u32, storage_gb: rng.below(4_000) as u32, gpus };
            let free = Resources { cpu_cores: rng.below(u64::from(capacity.cpu_cores) + 1) as u16, ram_gb: rng.below(u64::from(capacity.ram_gb) + 1) as u32, ..capacity };
            let rates = Rates {
                per_core: 1 + rng.below(10_000_000),
                per_gb_ram: 1 + rng.below(1_000_000),
                per_gb_storage: rng.below(10_000),
                per_gpu: if gpus > 0 { 1 + rng.below(500_000_000) } else { 0 },
            };
            let authority = key(i, 1);
            if rng.one_in(2) {
                quotes.add_quote(authority, USDC, Rates { per_core: rates.per_core / 7 + 1, per_gb_ram: rates.per_gb_ram / 7 + 1, per_gb_storage: rates.per_gb_storage / 7 + 1, per_gpu: rates.per_gpu / 7 + 1 });
                quotes.add_bond(authority, USDC, rng.below(3_000_000_000));
            }
            let (gpu_model, vram_gb) = if gpus > 0 { GPU_MODELS[rng.below(4) as usize] } else { (0, 0) };
            Candidate {
                authority,
                rates,
                capacity,
                free,
                reputation: rng.below(10_001) as u16,
                active_jobs: rng.below(6) as u32,
                assignment: if rng.one_in(20) { ASSIGN_BY_CLIENTS } else { ASSIGN_BY_MATCHER },
                gpu_model,
                vram_gb,
                bond: if rng.one_in(2) { rng.below(20_000_000_000) } else { 0 },
            }
        })
        .collect();
    let jobs = (0..jobs)
        .map(|i| {
            let payment_mint = rng.one_in(5).then_some(USDC);
            let max_price_per_hour = 1 + rng.below(2_000_000_000);
            let min_bond = if rng.one_in(4) { rng.below(5_000_000_000) } else { 0 };
            OpenJob {
                address: key(i, 2),
                client: key(i, 3),
                requirements: Resources {
                    cpu_cores: 1 + rng.below(48) as u16,
                    ram_gb: rng.below(256) as u32,
                    storage_gb: rng.below(1_000) as u32,
                    gpus: if rng.one_in(10) { 1 + rng.below(4) as u16 } else { 0 },
                },
                max_price_per_hour: if payment_mint.is_some() { max_price_per_hour / 7 } else { max_price_per_hour },
                min_reputation: rng.below(9_000) as u16,
                target: None,
                payment_mint,
                gpu: GpuNeeds::default(),
                released_by: vec![],
                min_bond: if payment_mint.is_some() { min_bond / 7 } else { min_bond },
            }
        })
        .collect();
    (jobs, providers, quotes)
}

#[test]
fn markets_with_few_ties_are_decided_as_the_exhaustive_round_decides_them() {
    for (seed, jobs, providers) in [(41, 4_000, 3_000), (42, 2_000, 6_000)] {
        let (jobs, providers, quotes) = wide_market(seed, jobs, providers);
        let decisions = plan(&jobs, &providers, &quotes, false);
        let assigned = decisions.iter().filter(|d| matches!(d, Decision::Assign { .. })).count();
        assert!(assigned > jobs.len() / 2 && assigned < jobs.len(), "seed {seed}: {assigned} of {} assigned", jobs.len());
        assert_same_decisions(&jobs, &providers, &quotes);
    }
}

#[test]
fn a_market_of_more_than_a_thousand_leaves_is_decided_the_same() {
    // Over a thousand leaves: rows of leaves, of blocks of 32 leaves and of blocks of those, three levels
    // as at 100,000 providers (`index::summary`).
    let (jobs, providers, quotes) = wide_market(43, 600, 32_000);
    assert_same_decisions(&jobs, &providers, &quotes);
}
