//! Why a job was left open, in words its client understands. The reasons are checked in the order a
//! client would fix them: is anyone there, does anyone offer these resources at all, with the reputation
//! asked for, at the price offered, and with the room free right now.

use std::fmt;

use anchor_lang::prelude::Pubkey;
use compute_market::math::pricing::hourly_price;
use compute_market::state::Resources;
use compute_market_client::amounts::format_sol;

use crate::plan::{Candidate, OpenJob};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unmatched {
    MarketPaused,
    PaidInTokens,
    NoActiveProvider,
    OnlyOwnProvider,
    TargetInactive { target: Pubkey },
    /// No provider in question offers these resources: each listed one on its own, or (if the list is
    /// empty) not all of them together.
    NotOffered { reserved: bool, missing: Vec<String>, together: Vec<String> },
    ReputationTooLow { best: u16, minimum: u16 },
    PriceTooHigh { cheapest: u64, maximum: u64 },
    Busy { fitting: usize },
}

impl fmt::Display for Unmatched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unmatched::MarketPaused => write!(f, "the market is paused, so no job is being assigned"),
            Unmatched::PaidInTokens => write!(
                f,
                "it is paid in tokens, which the matcher does not price; a provider quoting that mint has to accept it"
            ),
            Unmatched::NoActiveProvider => write!(f, "no provider is active"),
            Unmatched::OnlyOwnProvider => write!(f, "the only active provider is your own"),
            Unmatched::TargetInactive { target } => {
                write!(f, "the provider you reserved it for ({target}) is not registered or not active")
            }
            Unmatched::NotOffered { reserved, missing, together } => {
                let (subject, verb) = if *reserved { ("the provider you reserved it for", "does not offer") } else { ("no active provider", "offers") };
                if missing.is_empty() {
                    write!(f, "{subject} {verb} {} together", and_list(together))
                } else {
                    write!(f, "{subject} {verb} {}", missing.join(" or "))
                }
            }
            Unmatched::ReputationTooLow { best, minimum } => write!(
                f,
                "the best reputation among providers offering these resources is {best}, below your minimum {minimum}"
            ),
            Unmatched::PriceTooHigh { cheapest, maximum } => write!(
                f,
                "the cheapest fitting provider asks {} SOL/h, above your {}",
                format_sol(*cheapest),
                format_sol(*maximum)
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

/// The first reason, in the order above, that no provider can take `job` now.
pub fn explain(job: &OpenJob, providers: &[Candidate]) -> Unmatched {
    let eligible: Vec<&Candidate> = providers.iter().filter(|p| p.may_take(job)).collect();
    if eligible.is_empty() {
        return match job.target {
            Some(target) => Unmatched::TargetInactive { target },
            None if providers.is_empty() => Unmatched::NoActiveProvider,
            None => Unmatched::OnlyOwnProvider,
        };
    }
    let asked = job.requirements;
    let offering: Vec<&Candidate> = eligible.iter().copied().filter(|p| asked.fits_in(&p.capacity)).collect();
    if offering.is_empty() {
        let most = eligible.iter().fold(Resources::default(), |most, p| Resources {
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
    let reputable: Vec<&Candidate> = offering.iter().copied().filter(|p| p.reputation >= job.min_reputation).collect();
    if reputable.is_empty() {
        let best = offering.iter().map(|p| p.reputation).max().unwrap_or(0);
        return Unmatched::ReputationTooLow { best, minimum: job.min_reputation };
    }
    let prices = reputable.iter().map(|p| hourly_price(&p.rates, &asked).unwrap_or(u64::MAX));
    let affordable = prices.clone().filter(|price| *price <= job.max_price_per_hour).count();
    if affordable == 0 {
        return Unmatched::PriceTooHigh { cheapest: prices.min().unwrap_or(u64::MAX), maximum: job.max_price_per_hour };
    }
    Unmatched::Busy { fitting: affordable }
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
    use compute_market::state::Rates;

    const SOL: u64 = 1_000_000_000;

    fn provider(seed: u8, capacity: Resources, rates: Rates, reputation: u16) -> Candidate {
        Candidate { authority: Pubkey::new_from_array([seed; 32]), rates, capacity, free: capacity, reputation, active_jobs: 0 }
    }

    fn job(requirements: Resources, max_price: u64) -> OpenJob {
        OpenJob {
            address: Pubkey::new_from_array([50; 32]),
            client: Pubkey::new_from_array([60; 32]),
            requirements,
            max_price_per_hour: max_price,
            min_reputation: 0,
            target: None,
            paid_in_tokens: false,
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
        explain(job, providers).to_string()
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
}
