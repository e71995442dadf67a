//! Why a job was left open, in words its client understands. The reasons are checked in the order a
//! client would fix them: is anyone there (with GPUs that meet the job's needs, and has the provider it
//! is reserved for not released it),
//! does anyone offer these resources at all (and, for a job paid in a token, quote that token), with the
//! reputation asked for, at the price offered (in the job's currency), taking
//! jobs from the matcher (a provider's own choice, named when it is what stands in the way) and not having
//! released the job before, with the bond asked for free (in the job's currency), and with the room free
//! right now.
//!
//! A round explains the jobs it leaves open once it has decided them all, against the providers as it
//! leaves them (their free capacity and free bonds less what it assigned): what the client reading the
//! explanation would find. Only the bond reason reads what a round changes; a job left open stays
//! unmatchable as the round goes on, since room and free bonds only shrink within it.
use std::fmt;

use anchor_lang::prelude::Pubkey;
use compute_market::math::pricing::hourly_price;
use compute_market::state::Resources;
use compute_market_client::amounts::Currency;
use compute_market_client::gpus::describe_needs;

use crate::plan::{bond_column, Candidate, OpenJob};
use crate::quotes::QuoteBook;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unmatched {
    MarketPaused,
    NoActiveProvider,
    OnlyOwnProvider,
    TargetInactive { target: Pubkey },
    /// No provider in question (or not the one it is reserved for) has GPUs that meet the job's needs.
    GpusUnmet { needs: String, reserved: bool },
    /// The provider it is reserved for released it before, or (not reserved) every provider in matching
    /// that could take it did; `provider` is one of them.
    Released { provider: Pubkey, reserved: bool },
    /// No provider in question offers these resources: each listed one on its own, or (if the list is
    /// empty) not all of them together.
    NotOffered { reserved: bool, missing: Vec<String>, together: Vec<String> },
    /// Providers offer the resources but none (or not the one it is reserved for) quotes the job's token.
    NoQuote { currency: String, reserved: bool, asked: String },
    ReputationTooLow { best: u16, minimum: u16 },
    /// Prices per hour in the job's currency.
    PriceTooHigh { cheapest: u64, maximum: u64, currency: Currency },
    /// `provider` fits within the price (with room now, if any such provider has room) but has not opted
    /// in to assignment by the matcher, and no provider that has can take the job now.
    NotOptedIn { provider: Pubkey, reserved: bool, clients_may_assign: bool },
    /// Every provider in matching that fits within the price (or the one it is reserved for) has less
    /// of its bond free in the job's currency than the job's minimum bond; `largest` is the most any of
    /// them has free.
    BondTooSmall { largest: u64, minimum: u64, currency: Currency, reserved: bool },
    Busy { fitting: usize },
}

impl fmt::Display for Unmatched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unmatched::MarketPaused => write!(f, "the market is paused, so no job is being assigned"),
            Unmatched::NoActiveProvider => write!(f, "no provider is active"),
            Unmatched::OnlyOwnProvider => write!(f, "the only active provider is your own"),
            Unmatched::TargetInactive { target } => {
                write!(f, "the provider you reserved it for ({target}) is not registered or not active")
            }
            Unmatched::GpusUnmet { needs, reserved: false } => write!(f, "no active provider's GPUs meet your needs ({needs})"),
            Unmatched::GpusUnmet { needs, reserved: true } => {
                write!(f, "the GPUs of the provider you reserved it for do not meet your needs ({needs})")
            }
            Unmatched::Released { provider, reserved: true } => write!(
                f,
                "the provider you reserved it for ({provider}) released it (declined it, or did not start it in time), so the matcher does not assign it there again; cancel it and post it again for another provider"
            ),
            Unmatched::Released { provider, reserved: false } => write!(
                f,
                "every provider that could take it released it before ({provider} among them), so the matcher does not assign it to them again"
            ),
            Unmatched::NotOptedIn { provider, reserved, clients_may_assign } => {
                let subject = if *reserved { format!("the provider you reserved it for ({provider})") } else { format!("provider {provider}") };
                let fits = if *reserved { "" } else { " fits within your price but" };
                write!(f, "{subject}{fits} has not opted in to assignment by the matcher: it takes the job only by accepting it itself")?;
                if *clients_may_assign {
                    write!(f, ", or you assign it to it (it accepts assignments from clients)")?;
                }
                Ok(())
            }
            Unmatched::NotOffered { reserved, missing, together } => {
                let (subject, verb) = if *reserved { ("the provider you reserved it for", "does not offer") } else { ("no active provider", "offers") };
                if missing.is_empty() {
                    write!(f, "{subject} {verb} {} together", and_list(together))
                } else {
                    write!(f, "{subject} {verb} {}", missing.join(" or "))
                }
            }
            Unmatched::NoQuote { currency, reserved: false, asked } => write!(f, "no active provider quotes {currency} for {asked}"),
            Unmatched::NoQuote { currency, reserved: true, asked } => {
                write!(f, "the provider you reserved it for does not quote {currency} for {asked}")
            }
            Unmatched::ReputationTooLow { best, minimum } => write!(
                f,
                "the best reputation among providers offering these resources is {best}, below your minimum {minimum}"
            ),
            Unmatched::PriceTooHigh { cheapest, maximum, currency } => write!(
                f,
                "the cheapest fitting provider asks {}/h, above your {}",
                currency.format(*cheapest),
                currency.number(*maximum)
            ),
            Unmatched::BondTooSmall { largest, minimum, currency, reserved: false } => write!(
                f,
                "the largest free bond among providers that fit within your price is {}, below your minimum bond {}",
                currency.format(*largest),
                currency.number(*minimum)
            ),
            Unmatched::BondTooSmall { largest, minimum, currency, reserved: true } => write!(
                f,
                "the provider you reserved it for has {} of bond free, below your minimum bond {}",
                currency.format(*largest),
                currency.number(*minimum)
            ),
            Unmatched::Busy { fitting: 1 } => write!(
                f,
                "the 1 provider that fits within your price has no room free right now; the job is matched when capacity frees up"
            ),
            Unmatched::Busy { fitting } => write!(
                f,
                "the {fitting} providers that fit within your price have no room free right now; the job is matched when capacity frees up"
            ),
        }
    }
}

/// The first reason, in the order above, that no provider can take `job` now; token prices and free
/// bonds from `quotes`, lamport bonds from the providers.
pub fn explain(job: &OpenJob, providers: &[Candidate], quotes: &QuoteBook) -> Unmatched {
    explain_with_bonds(job, providers, &bond_column(job.payment_mint, providers, quotes), quotes)
}

/// `explain` with each provider's free bond in the job's currency given beside it (`bonds[i]` for
/// `providers[i]`): as a round leaves them.
pub fn explain_with_bonds(job: &OpenJob, providers: &[Candidate], bonds: &[u64], quotes: &QuoteBook) -> Unmatched {
    let askable: Vec<(&Candidate, u64)> = providers.iter().zip(bonds.iter().copied()).filter(|(p, _)| p.may_be_asked(job)).collect();
    let eligible: Vec<(&Candidate, u64)> = askable.iter().copied().filter(|(p, _)| p.gpus_meet(job)).collect();
    if eligible.is_empty() {
        if !askable.is_empty() {
            return Unmatched::GpusUnmet { needs: describe_needs(&job.gpu), reserved: job.target.is_some() };
        }
        return match job.target {
            Some(target) => Unmatched::TargetInactive { target },
            None if providers.is_empty() => Unmatched::NoActiveProvider,
            None => Unmatched::OnlyOwnProvider,
        };
    }
    if job.target.is_some() && eligible.iter().all(|(p, _)| p.released(job)) {
        return Unmatched::Released { provider: eligible[0].0.authority, reserved: true };
    }
    let asked = job.requirements;
    let offering: Vec<(&Candidate, u64)> = eligible.iter().copied().filter(|(p, _)| asked.fits_in(&p.capacity)).collect();
    if offering.is_empty() {
        let most = eligible.iter().fold(Resources::default(), |most, (p, _)| Resources {
            cpu_cores: most.cpu_cores.max(p.capacity.cpu_cores),
            ram_gb: most.ram_gb.max(p.capacity.ram_gb),
            storage_gb: most.storage_gb.max(p.capacity.storage_gb),
            gpus: most.gpus.max(p.capacity.gpus),
        });
        let parts = resource_parts(&asked);
        let missing = parts.iter().filter(|(amount, of, _)| of(&most) < *amount).map(|(_, _, words)| words.clone()).collect();
        let together = parts.into_iter().map(|(_, _, words)| words).collect();
        return Unmatched::NotOffered { reserved: job.target.is_some(), missing, together };
    }
    let quoting: Vec<(&Candidate, u64)> = offering.iter().copied().filter(|(p, _)| quotes.rates_for(p, job).is_some()).collect();
    if quoting.is_empty() {
        let asked = and_list(&resource_parts(&asked).into_iter().map(|(_, _, words)| words).collect::<Vec<_>>());
        return Unmatched::NoQuote { currency: quotes.currency(job).name, reserved: job.target.is_some(), asked };
    }
    let reputable: Vec<(&Candidate, u64)> = quoting.iter().copied().filter(|(p, _)| p.reputation >= job.min_reputation).collect();
    if reputable.is_empty() {
        let best = quoting.iter().map(|(p, _)| p.reputation).max().unwrap_or(0);
        return Unmatched::ReputationTooLow { best, minimum: job.min_reputation };
    }
    let price = |p: &Candidate| quotes.rates_for(p, job).and_then(|rates| hourly_price(rates, &asked)).unwrap_or(u64::MAX);
    let affordable: Vec<(&Candidate, u64)> = reputable.iter().copied().filter(|(p, _)| price(p) <= job.max_price_per_hour).collect();
    if affordable.is_empty() {
        let cheapest = reputable.iter().map(|(p, _)| price(p)).min().unwrap_or(u64::MAX);
        return Unmatched::PriceTooHigh { cheapest, maximum: job.max_price_per_hour, currency: quotes.currency(job) };
    }
    let (matched, unmatched): (Vec<(&Candidate, u64)>, Vec<(&Candidate, u64)>) = affordable.iter().partition(|(p, _)| p.takes_matcher_jobs() && !p.released(job));
    let (released, outside): (Vec<(&Candidate, u64)>, Vec<(&Candidate, u64)>) = unmatched.iter().partition(|(p, _)| p.released(job));
    // A provider outside matching stands in the way when none inside it fits the price, or when it could
    // take the job now (room, and the bond asked for) and they cannot: the cheapest such, able to first.
    let able = |(p, bond): &(&Candidate, u64)| asked.fits_in(&p.free) && job.bond_suffices(*bond);
    let blocking = if matched.is_empty() {
        outside.iter().min_by_key(|entry| (!able(entry), price(entry.0)))
    } else {
        outside.iter().filter(|entry| able(entry)).min_by_key(|entry| price(entry.0))
    };
    if let Some((provider, _)) = blocking {
        return Unmatched::NotOptedIn {
            provider: provider.authority,
            reserved: job.target.is_some(),
            clients_may_assign: provider.takes_client_jobs(),
        };
    }
    if let (true, Some((provider, _))) = (matched.is_empty(), released.first()) {
        return Unmatched::Released { provider: provider.authority, reserved: false };
    }
    // Bonds stand in the way when none of the providers in matching within the price has enough free.
    let largest = matched.iter().map(|(_, bond)| *bond).max().unwrap_or(0);
    if !job.bond_suffices(largest) {
        return Unmatched::BondTooSmall { largest, minimum: job.min_bond, currency: quotes.currency(job), reserved: job.target.is_some() };
    }
    Unmatched::Busy { fitting: matched.len() }
}

/// Each resource the job asks for: how much, how to read it off a capacity, and its name in words.
fn resource_parts(asked: &Resources) -> Vec<(u64, fn(&Resources) -> u64, String)> {
    let parts: [(u64, fn(&Resources) -> u64, String); 4] = [
        (asked.cpu_cores.into(), |r| r.cpu_cores.into(), count(asked.cpu_cores.into(), "CPU core", "CPU cores")),
        (asked.ram_gb.into(), |r| r.ram_gb.into(), format!("{} GB of RAM", asked.ram_gb)),
        (asked.storage_gb.into(), |r| r.storage_gb.into(), format!("{} GB of storage", asked.storage_gb)),
        (asked.gpus.into(), |r| r.gpus.into(), count(asked.gpus.into(), "GPU", "GPUs")),
    ];
    parts.into_iter().filter(|(amount, _, _)| *amount > 0).collect()
}

fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER};
    use compute_market::state::{GpuNeeds, Rates};

    const SOL: u64 = 1_000_000_000;

    fn provider(seed: u8, capacity: Resources, rates: Rates, reputation: u16) -> Candidate {
        let authority = Pubkey::new_from_array([seed; 32]);
        // Any GPUs are RTX 4090s, 24 GB each.
        let (gpu_model, vram_gb) = if capacity.gpus > 0 { (0x0401, 24) } else { (0, 0) };
        Candidate { authority, rates, capacity, free: capacity, reputation, active_jobs: 0, assignment: ASSIGN_BY_MATCHER, gpu_model, vram_gb, bond: 0 }
    }

    fn job(requirements: Resources, max_price: u64) -> OpenJob {
        OpenJob {
            address: Pubkey::new_from_array([50; 32]),
            client: Pubkey::new_from_array([60; 32]),
            requirements,
            max_price_per_hour: max_price,
            min_reputation: 0,
            target: None,
            payment_mint: None,
            gpu: GpuNeeds::default(),
            released_by: vec![],
            min_bond: 0,
        }
    }

    fn cpu_box() -> Candidate {
        let capacity = Resources { cpu_cores: 8, ram_gb: 32, storage_gb: 100, gpus: 0 };
        provider(1, capacity, Rates { per_core: SOL / 10, per_gb_ram: 1, per_gb_storage: 1, per_gpu: 0 }, 5_000)
    }

    fn gpu_rig() -> Candidate {
        let capacity = Resources { cpu_cores: 2, ram_gb: 8, storage_gb: 0, gpus: 2 };
        provider(2, capacity, Rates { per_core: 1, per_gb_ram: 1, per_gb_storage: 0, per_gpu: SOL }, 5_000)
    }

    const GPUS_4: Resources = Resources { cpu_cores: 0, ram_gb: 0, storage_gb: 0, gpus: 4 };
    const CORES_8: Resources = Resources { cpu_cores: 8, ram_gb: 0, storage_gb: 0, gpus: 0 };

    fn words(job: &OpenJob, providers: &[Candidate]) -> String {
        explain(job, providers, &QuoteBook::default()).to_string()
    }

    #[test]
    fn gpus_that_do_not_meet_the_needs_are_named_with_the_needs() {
        let two = Resources { cpu_cores: 1, ram_gb: 1, storage_gb: 0, gpus: 2 };
        let needs = |gpu: GpuNeeds| OpenJob { gpu, ..job(two, 10 * SOL) };
        let a100s = GpuNeeds { family: 0x02, min_vram_gb: 40, ..GpuNeeds::default() };
        assert_eq!(words(&needs(a100s), &[cpu_box(), gpu_rig()]), "no active provider's GPUs meet your needs (A100 family, at least 40 GB)");
        let memory = GpuNeeds { min_vram_gb: 48, ..GpuNeeds::default() };
        assert_eq!(words(&needs(memory), &[gpu_rig()]), "no active provider's GPUs meet your needs (at least 48 GB)");
        let reserved = OpenJob { target: Some(gpu_rig().authority), ..needs(memory) };
        assert_eq!(words(&reserved, &[gpu_rig()]), "the GPUs of the provider you reserved it for do not meet your needs (at least 48 GB)");
        // Needs the rig meets: no GPU reason, and the round assigns it there.
        let met = needs(GpuNeeds { family: 0x04, min_vram_gb: 24, ..GpuNeeds::default() });
        let decisions = crate::plan(&[met.clone()], &[cpu_box(), gpu_rig()], &QuoteBook::default(), false);
        assert!(matches!(decisions[0], crate::Decision::Assign { provider, .. } if provider == gpu_rig().authority), "{decisions:?}");
        // A job without GPUs ignores them.
        let cpu_only = OpenJob { gpu: GpuNeeds::default(), ..job(CORES_8, 10 * SOL) };
        assert!(gpu_rig().gpus_meet(&cpu_only) && cpu_box().gpus_meet(&cpu_only));
    }

    #[test]
    fn names_a_resource_nobody_offers() {
        assert_eq!(words(&job(GPUS_4, SOL), &[cpu_box(), gpu_rig()]), "no active provider offers 4 GPUs");
        let both = Resources { cpu_cores: 64, ram_gb: 0, storage_gb: 0, gpus: 1 };
        assert_eq!(words(&job(both, SOL), &[cpu_box()]), "no active provider offers 64 CPU cores or 1 GPU");
        let together = Resources { cpu_cores: 8, ram_gb: 0, storage_gb: 0, gpus: 1 };
        assert_eq!(
            words(&job(together, SOL), &[cpu_box(), gpu_rig()]),
            "no active provider offers 8 CPU cores and 1 GPU together"
        );
    }

    #[test]
    fn names_the_cheapest_price_against_the_maximum() {
        // 8 cores at 0.1 SOL/h each: 0.8 SOL/h.
        assert_eq!(
            words(&job(CORES_8, SOL / 2), &[cpu_box(), gpu_rig()]),
            "the cheapest fitting provider asks 0.8 SOL/h, above your 0.5"
        );
    }

    #[test]
    fn names_reputation_busy_providers_and_absences() {
        let mut picky = job(CORES_8, SOL);
        picky.min_reputation = 8_000;
        assert_eq!(
            words(&picky, &[cpu_box()]),
            "the best reputation among providers offering these resources is 5000, below your minimum 8000"
        );
        let mut busy = cpu_box();
        busy.free = Resources::default();
        assert_eq!(
            words(&job(CORES_8, SOL), &[busy]),
            "the 1 provider that fits within your price has no room free right now; the job is matched when capacity frees up"
        );
        assert_eq!(words(&job(CORES_8, SOL), &[]), "no provider is active");
        let mut own = cpu_box();
        own.authority = job(CORES_8, SOL).client;
        assert_eq!(words(&job(CORES_8, SOL), &[own]), "the only active provider is your own");
        let mut reserved = job(GPUS_4, SOL);
        reserved.target = Some(gpu_rig().authority);
        assert_eq!(words(&reserved, &[cpu_box(), gpu_rig()]), "the provider you reserved it for does not offer 4 GPUs");
        reserved.target = Some(Pubkey::new_from_array([9; 32]));
        assert!(words(&reserved, &[cpu_box()]).ends_with("is not registered or not active"));
    }

    #[test]
    fn names_a_provider_that_has_not_opted_in_to_matching() {
        let mut private = cpu_box();
        private.assignment = 0;
        let address = private.authority;
        assert_eq!(
            words(&job(CORES_8, SOL), &[private.clone()]),
            format!("provider {address} fits within your price but has not opted in to assignment by the matcher: it takes the job only by accepting it itself")
        );
        private.assignment = ASSIGN_BY_CLIENTS;
        assert!(words(&job(CORES_8, SOL), &[private.clone()]).ends_with(", or you assign it to it (it accepts assignments from clients)"));
        // An opted-in provider with no room: the one outside matching with room is what stands in the way.
        let mut busy = gpu_rig();
        busy.capacity = CORES_8;
        busy.free = Resources::default();
        busy.rates = cpu_box().rates;
        assert_eq!(explain(&job(CORES_8, SOL), &[busy.clone(), private.clone()], &QuoteBook::default()), Unmatched::NotOptedIn { provider: address, reserved: false, clients_may_assign: true });
        private.free = Resources::default();
        assert_eq!(explain(&job(CORES_8, SOL), &[busy, private.clone()], &QuoteBook::default()), Unmatched::Busy { fitting: 1 }, "no room anywhere: the opted-in one frees up first");
        let mut reserved = job(CORES_8, SOL);
        reserved.target = Some(address);
        assert_eq!(
            words(&reserved, &[private]),
            format!("the provider you reserved it for ({address}) has not opted in to assignment by the matcher: it takes the job only by accepting it itself, or you assign it to it (it accepts assignments from clients)")
        );
    }

    #[test]
    fn names_a_provider_that_released_the_job() {
        let mut reserved = job(CORES_8, SOL);
        reserved.target = Some(cpu_box().authority);
        reserved.released_by = vec![cpu_box().authority];
        assert_eq!(explain(&reserved, &[cpu_box(), gpu_rig()], &QuoteBook::default()), Unmatched::Released { provider: cpu_box().authority, reserved: true });
        assert!(words(&reserved, &[cpu_box()]).contains("released it (declined it, or did not start it in time)"));
        // Not reserved: the one that released it is named when no other can take it.
        let mut open = job(CORES_8, SOL);
        open.released_by = vec![cpu_box().authority];
        assert_eq!(explain(&open, &[cpu_box(), gpu_rig()], &QuoteBook::default()), Unmatched::Released { provider: cpu_box().authority, reserved: false });
        // Another provider able to take it is considered as usual.
        let mut other = cpu_box();
        other.authority = Pubkey::new_from_array([3; 32]);
        other.free = Resources::default();
        assert_eq!(explain(&open, &[cpu_box(), other.clone()], &QuoteBook::default()), Unmatched::Busy { fitting: 1 });
        other.assignment = 0;
        other.free = other.capacity;
        assert!(matches!(explain(&open, &[cpu_box(), other], &QuoteBook::default()), Unmatched::NotOptedIn { reserved: false, .. }));
    }

    #[test]
    fn names_the_largest_free_bond_below_the_minimum() {
        let bonded = |bond| cpu_box().with_bond(bond);
        let asking = OpenJob { min_bond: 2 * SOL, ..job(CORES_8, SOL) };
        assert_eq!(
            words(&asking, &[bonded(SOL / 2), bonded(SOL / 4)]),
            "the largest free bond among providers that fit within your price is 0.5 SOL, below your minimum bond 2"
        );
        let reserved = OpenJob { target: Some(cpu_box().authority), ..asking.clone() };
        assert_eq!(words(&reserved, &[bonded(SOL / 2)]), "the provider you reserved it for has 0.5 SOL of bond free, below your minimum bond 2");
        // Enough bond free but no room: busy, as without bonds.
        let mut full = bonded(2 * SOL);
        full.free = Resources::default();
        assert_eq!(explain(&asking, &[full.clone(), bonded(SOL)], &QuoteBook::default()), Unmatched::Busy { fitting: 2 });
        // A provider outside matching stands in the way only if it has the bond too.
        let mut private = provider(3, cpu_box().capacity, cpu_box().rates, 5_000);
        private.assignment = 0;
        assert!(matches!(explain(&asking, &[bonded(SOL / 2), private.clone().with_bond(2 * SOL)], &QuoteBook::default()), Unmatched::NotOptedIn { .. }));
        assert!(matches!(explain(&asking, &[bonded(SOL / 2), private.clone()], &QuoteBook::default()), Unmatched::BondTooSmall { largest, .. } if largest == SOL / 2));
        // Alone outside matching, it is named whatever its bond: opting in comes first.
        assert!(matches!(explain(&asking, &[private], &QuoteBook::default()), Unmatched::NotOptedIn { .. }));
        // A job asking for no bond is explained as before.
        assert_eq!(explain(&job(CORES_8, SOL), &[full], &QuoteBook::default()), Unmatched::Busy { fitting: 1 });
    }

    #[test]
    fn a_token_bond_is_named_in_its_token() {
        let mut book = usdc_book();
        book.add_quote(cpu_box().authority, USDC, Rates { per_core: 10_000, ..Default::default() });
        book.add_bond(cpu_box().authority, USDC, 1_500_000);
        let asking = OpenJob { payment_mint: Some(USDC), min_bond: 2_000_000, ..job(CORES_8, 1_000_000) };
        // A lamport bond does not count for it.
        assert_eq!(
            explain(&asking, &[cpu_box().with_bond(10 * SOL)], &book).to_string(),
            "the largest free bond among providers that fit within your price is 1.500000 USDC, below your minimum bond 2.000000"
        );
    }

    const USDC: Pubkey = Pubkey::new_from_array([77; 32]);

    fn usdc_book() -> QuoteBook {
        let mut book = QuoteBook::default();
        book.add_currency(Currency::token(USDC, 6, Some("USDC")));
        book
    }

    #[test]
    fn names_the_token_nobody_quotes_for_the_resources() {
        let gpus_2 = Resources { cpu_cores: 0, ram_gb: 0, storage_gb: 0, gpus: 2 };
        let job = OpenJob { payment_mint: Some(USDC), ..job(gpus_2, 1_000_000) };
        let mut book = usdc_book();
        // The CPU box quotes USDC but has no GPU; the GPU rig has GPUs but quotes no USDC.
        book.add_quote(cpu_box().authority, USDC, cpu_box().rates);
        assert_eq!(explain(&job, &[cpu_box(), gpu_rig()], &book).to_string(), "no active provider quotes USDC for 2 GPUs");
        let mut reserved = job.clone();
        reserved.target = Some(gpu_rig().authority);
        assert_eq!(explain(&reserved, &[cpu_box(), gpu_rig()], &book).to_string(), "the provider you reserved it for does not quote USDC for 2 GPUs");
        // A mint the table does not name is called by its short address.
        let other = Pubkey::new_from_array([78; 32]);
        let mut unnamed = QuoteBook::default();
        unnamed.add_currency(Currency::token(other, 6, None));
        let text = other.to_string();
        assert_eq!(
            explain(&OpenJob { payment_mint: Some(other), ..job.clone() }, &[gpu_rig()], &unnamed).to_string(),
            format!("no active provider quotes {}..{} for 2 GPUs", &text[..4], &text[text.len() - 4..])
        );
        // Quoted: the price is weighed in USDC, with its decimals.
        book.add_quote(gpu_rig().authority, USDC, Rates { per_core: 1, per_gb_ram: 1, per_gb_storage: 0, per_gpu: 700_000 });
        assert_eq!(
            explain(&job, &[cpu_box(), gpu_rig()], &book).to_string(),
            "the cheapest fitting provider asks 1.400000 USDC/h, above your 1.000000"
        );
    }
}
