//! Providers: register, update, pause, resume and retire your own, and withdraw earnings held for you;
//! list and show any.

use clap::{Args, Subcommand};
use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER};
use compute_market::instructions::{RegisterProviderArgs, UpdateProviderArgs};
use compute_market::state::{Rates, Resources};
use compute_market::math::pricing::hourly_price;
use compute_market_client::analytics::provider_stats;
use compute_market_client::index_api::{Provider as IndexedProvider, ProviderQuery};
use compute_market_client::{builders, pda, JobFilter, ProviderFilter};
use serde_json::json;
use solana_signer::Signer;

use compute_market_client::amounts::{format_sol, parse_sol};
use crate::context::{describe, parse_key, Context};
use super::hardware::HardwareArgs;
use crate::{index_views, views};

#[derive(Subcommand)]
pub enum ProviderCommand {
    /// Offer capacity at hourly rates per unit. You can always accept jobs yourself (`job accept`); others
    /// assign you jobs only if you allow them. A retired provider registers again into its old record.
    Register {
        #[command(flatten)]
        capacity: CapacityArgs,
        #[command(flatten)]
        rates: RateArgs,
        #[command(flatten)]
        hardware: HardwareArgs,
        /// Where clients reach the provider (its endpoint or metadata).
        #[arg(long)]
        uri: String,
        /// Let clients assign you their jobs, at your published rates and capacity.
        #[arg(long)]
        allow_client_assignment: bool,
        /// Let the market's matcher assign you jobs (what `cmkt agent run` expects, unless it accepts
        /// jobs itself with --auto-accept).
        #[arg(long)]
        allow_matcher_assignment: bool,
    },
    /// Change capacity, rates, hardware, URI or who may assign you jobs (give all four capacity or all four rate
    /// values to change them).
    Update {
        #[arg(long)]
        set_capacity: bool,
        #[command(flatten)]
        capacity: CapacityArgs,
        #[arg(long)]
        set_rates: bool,
        #[command(flatten)]
        rates: RateArgs,
        /// The hardware, declared again (with --set-capacity that adds or removes GPUs, or alone).
        #[command(flatten)]
        hardware: HardwareArgs,
        #[arg(long)]
        uri: Option<String>,
        #[command(flatten)]
        assignment: AssignmentUpdate,
    },
    /// Stop taking new jobs.
    Pause,
    /// Take new jobs again.
    Resume,
    /// Retire (no jobs in flight): stop taking jobs and take the earnings the account holds for you. The
    /// record stays, reputation included; `provider register` reopens it.
    Close,
    /// Take the earnings your provider account holds for you: payouts your wallet could not receive when
    /// they were paid (it was below the rent-exempt minimum).
    WithdrawEarnings,
    /// A provider by its authority (the signer's by default).
    Show { authority: Option<String> },
    /// Providers, filtered (retired ones only with --retired): from the index API when given (newest
    /// registration first), else the node's provider accounts.
    List(ListArgs),
}

#[derive(Args)]
pub struct CapacityArgs {
    #[arg(long, default_value_t = 0)]
    cores: u16,
    #[arg(long, default_value_t = 0)]
    ram_gb: u32,
    #[arg(long, default_value_t = 0)]
    storage_gb: u32,
    #[arg(long, default_value_t = 0)]
    gpus: u16,
}

impl CapacityArgs {
    fn resources(&self) -> Resources {
        Resources { cpu_cores: self.cores, ram_gb: self.ram_gb, storage_gb: self.storage_gb, gpus: self.gpus }
    }
}

/// Hourly rates in SOL per unit.
#[derive(Args)]
pub struct RateArgs {
    #[arg(long, default_value = "0")]
    rate_core: String,
    #[arg(long, default_value = "0")]
    rate_ram: String,
    #[arg(long, default_value = "0")]
    rate_storage: String,
    #[arg(long, default_value = "0")]
    rate_gpu: String,
}

impl RateArgs {
    fn rates(&self) -> Result<Rates, String> {
        Ok(Rates {
            per_core: parse_sol(&self.rate_core)?,
            per_gb_ram: parse_sol(&self.rate_ram)?,
            per_gb_storage: parse_sol(&self.rate_storage)?,
            per_gpu: parse_sol(&self.rate_gpu)?,
        })
    }
}

/// Changes to who may assign the provider jobs; what is not named stays as it is.
#[derive(Args)]
pub struct AssignmentUpdate {
    /// Let clients assign you their jobs.
    #[arg(long, conflicts_with = "deny_client_assignment")]
    allow_client_assignment: bool,
    /// Stop clients from assigning you jobs.
    #[arg(long)]
    deny_client_assignment: bool,
    /// Let the market's matcher assign you jobs.
    #[arg(long, conflicts_with = "deny_matcher_assignment")]
    allow_matcher_assignment: bool,
    /// Stop the matcher from assigning you jobs.
    #[arg(long)]
    deny_matcher_assignment: bool,
}

impl AssignmentUpdate {
    fn changes(&self) -> bool {
        self.allow_client_assignment || self.deny_client_assignment || self.allow_matcher_assignment || self.deny_matcher_assignment
    }

    /// The policy `current` becomes.
    fn apply(&self, current: u8) -> u8 {
        let set = |flags: u8, flag: u8, allow: bool, deny: bool| match (allow, deny) {
            (true, _) => flags | flag,
            (_, true) => flags & !flag,
            _ => flags,
        };
        let flags = set(current, ASSIGN_BY_CLIENTS, self.allow_client_assignment, self.deny_client_assignment);
        set(flags, ASSIGN_BY_MATCHER, self.allow_matcher_assignment, self.deny_matcher_assignment)
    }
}

/// The policy the register flags ask for.
fn assignment(allow_client_assignment: bool, allow_matcher_assignment: bool) -> u8 {
    let clients = if allow_client_assignment { ASSIGN_BY_CLIENTS } else { 0 };
    let matcher = if allow_matcher_assignment { ASSIGN_BY_MATCHER } else { 0 };
    clients | matcher
}

#[derive(Args)]
pub struct ListArgs {
    /// Only active providers.
    #[arg(long, conflicts_with = "inactive")]
    active: bool,
    /// Only paused providers.
    #[arg(long)]
    inactive: bool,
    /// Only retired providers (their records stay on chain).
    #[arg(long, conflicts_with = "active")]
    retired: bool,
    /// Free capacity at least this.
    #[arg(long, default_value_t = 0)]
    min_cores: u16,
    #[arg(long, default_value_t = 0)]
    min_ram_gb: u32,
    #[arg(long, default_value_t = 0)]
    min_storage_gb: u32,
    #[arg(long, default_value_t = 0)]
    min_gpus: u16,
    /// GPUs of at least this many GB each (read from the node: the index API does not hold hardware yet).
    #[arg(long, default_value_t = 0)]
    min_vram_gb: u16,
    /// GPUs of this family: A100, H100, RTX4090, ... (read from the node, as --min-vram-gb).
    #[arg(long)]
    gpu_family: Option<String>,
    /// Highest price per hour, in SOL, for the minimums asked for.
    #[arg(long)]
    max_price: Option<String>,
    #[arg(long, default_value_t = 0)]
    min_reputation: u16,
    /// At most this many (the newest registrations).
    #[arg(long, default_value_t = 100)]
    limit: usize,
}

pub fn run(context: &Context, command: ProviderCommand) -> Result<(), String> {
    match command {
        ProviderCommand::Register { capacity, rates, hardware, uri, allow_client_assignment, allow_matcher_assignment } => {
            let signer = context.signer()?;
            let args = RegisterProviderArgs {
                capacity: capacity.resources(),
                rates: rates.rates()?,
                hardware: hardware.hardware(capacity.gpus)?,
                metadata_uri: uri,
                assignment: assignment(allow_client_assignment, allow_matcher_assignment),
            };
            context.send(&signer, &[builders::register_provider(&signer.pubkey(), args)], "register_provider")
        }
        ProviderCommand::Update { set_capacity, capacity, set_rates, rates, hardware, uri, assignment } => {
            let signer = context.signer()?;
            let policy = if assignment.changes() {
                let current = context.client.provider(&signer.pubkey()).map_err(|e| describe("reading your provider", e))?;
                Some(assignment.apply(current.assignment))
            } else {
                None
            };
            // Declared again only when given: the account's stands otherwise (the program refuses an
            // offer whose GPUs it no longer describes, InvalidHardware).
            let hardware = if hardware.given() {
                let gpus = if set_capacity {
                    capacity.gpus
                } else {
                    context.client.provider(&signer.pubkey()).map_err(|e| describe("reading your provider", e))?.capacity.gpus
                };
                Some(hardware.hardware(gpus)?)
            } else {
                None
            };
            let args = UpdateProviderArgs {
                capacity: set_capacity.then(|| capacity.resources()),
                rates: if set_rates { Some(rates.rates()?) } else { None },
                hardware,
                metadata_uri: uri,
                assignment: policy,
            };
            context.send(&signer, &[builders::update_provider(&signer.pubkey(), args)], "update_provider")
        }
        ProviderCommand::Pause | ProviderCommand::Resume => {
            let active = matches!(command, ProviderCommand::Resume);
            let signer = context.signer()?;
            context.send(&signer, &[builders::set_provider_active(&signer.pubkey(), active)], "set_provider_active")
        }
        ProviderCommand::Close => {
            let signer = context.signer()?;
            context.send(&signer, &[builders::close_provider(&signer.pubkey())], "close_provider")
        }
        ProviderCommand::WithdrawEarnings => withdraw_earnings(context),
        ProviderCommand::Show { authority } => {
            let authority = match authority {
                Some(a) => parse_key(&a, "provider authority")?,
                None => context.me()?,
            };
            let provider = context.client.provider(&authority).map_err(|e| describe("reading the provider", e))?;
            let jobs = context
                .client
                .list_jobs(&JobFilter { provider: Some(authority), ..Default::default() })
                .map_err(|e| describe("listing its jobs", e))?;
            let mut record = views::provider(&pda::provider(&authority), &provider);
            record["stats"] = views::provider_stats(&authority, &provider_stats(&provider, &jobs), &provider);
            context.output.record(&record);
            Ok(())
        }
        ProviderCommand::List(args) => {
            let filter = ProviderFilter {
                active: if args.active { Some(true) } else if args.inactive { Some(false) } else { None },
                min_cores: args.min_cores,
                min_ram_gb: args.min_ram_gb,
                min_storage_gb: args.min_storage_gb,
                min_gpus: args.min_gpus,
                min_vram_gb: args.min_vram_gb,
                gpu_family: args.gpu_family.as_deref().map(compute_market_client::gpus::family).transpose()?,
                max_price_per_hour: args.max_price.as_deref().map(parse_sol).transpose()?,
                min_reputation: args.min_reputation,
                retired: Some(args.retired),
            };
            let by_hardware = filter.min_vram_gb > 0 || filter.gpu_family.is_some();
            let api = if by_hardware { None } else { context.index_or_note()? };
            let rows: Vec<_> = match api {
                Some(api) => {
                    let providers = api.providers_where(&index_query(&filter), args.limit, |p| indexed_matches(&filter, p)).map_err(|e| e.to_string())?;
                    providers.iter().map(index_views::provider).collect()
                }
                None => {
                    let mut providers = context.client.list_providers(&filter).map_err(|e| describe("listing providers", e))?;
                    providers.sort_by_key(|(_, p)| std::cmp::Reverse(p.registered_at));
                    providers.iter().take(args.limit).map(|(address, p)| views::provider(address, p)).collect()
                }
            };
            context.output.table(&rows, &["authority", "active", "assigned_by", "free", "gpus", "rates", "reputation", "active_jobs"]);
            Ok(())
        }
    }
}

/// What of the filter the index API narrows by itself: its minimums are on capacity, which free capacity
/// never exceeds, so `indexed_matches` still decides.
fn index_query(filter: &ProviderFilter) -> ProviderQuery {
    let at_least = |min: u64| (min > 0).then_some(min);
    ProviderQuery {
        active: filter.active,
        retired: filter.retired,
        min_reputation: (filter.min_reputation > 0).then_some(filter.min_reputation),
        min_cpu_cores: at_least(filter.min_cores.into()),
        min_ram_gb: at_least(filter.min_ram_gb.into()),
        min_gpus: at_least(filter.min_gpus.into()),
    }
}

/// The whole filter checked on an indexed provider, as on an account: minimums on free capacity, the
/// price of the minimums asked for, reputation, activity and retirement.
fn indexed_matches(filter: &ProviderFilter, p: &IndexedProvider) -> bool {
    let fits = |min: u64, free: u64| min <= free;
    let free = &p.free;
    let rates = Rates { per_core: p.rates.per_core, per_gb_ram: p.rates.per_gb_ram, per_gb_storage: p.rates.per_gb_storage, per_gpu: p.rates.per_gpu };
    let price_ok = filter.max_price_per_hour.is_none_or(|max| hourly_price(&rates, &filter.wanted()).is_some_and(|price| price <= max));
    fits(filter.min_cores.into(), free.cpu_cores)
        && fits(filter.min_ram_gb.into(), free.ram_gb)
        && fits(filter.min_storage_gb.into(), free.storage_gb)
        && fits(filter.min_gpus.into(), free.gpus)
        && p.reputation >= u64::from(filter.min_reputation)
        && filter.active.is_none_or(|active| p.active == active)
        && filter.retired.is_none_or(|retired| p.retired == retired)
        && price_ok
}

/// withdraw_earnings, refused in words when nothing is held or the wallet could not receive it yet.
fn withdraw_earnings(context: &Context) -> Result<(), String> {
    let signer = context.signer()?;
    let me = signer.pubkey();
    let client = &context.client;
    let provider = client.provider(&me).map_err(|e| describe("reading your provider", e))?;
    let owed = provider.earnings_owed;
    if owed == 0 {
        return Err(format!("provider {me} holds no earnings for its wallet: every payout reached it"));
    }
    let short = client.shortfall_to_receive(&me, owed).map_err(|e| describe("reading your balance", e))?;
    if short > 0 {
        return Err(format!(
            "the wallet {me} cannot receive the {} SOL owed yet: it would end below the rent-exempt minimum (after the fee); send it at least {} SOL first",
            format_sol(owed),
            format_sol(short)
        ));
    }
    context.send(&signer, &[builders::withdraw_earnings(&me)], "withdraw_earnings")?;
    if context.output == crate::output::Output::Json {
        context.output.record(&json!({ "authority": me.to_string(), "withdrawn_lamports": owed }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_changes_only_the_flags_it_names() {
        let none = AssignmentUpdate { allow_client_assignment: false, deny_client_assignment: false, allow_matcher_assignment: false, deny_matcher_assignment: false };
        assert!(!none.changes());
        assert_eq!(none.apply(ASSIGN_BY_CLIENTS), ASSIGN_BY_CLIENTS);
        let matcher_on = AssignmentUpdate { allow_matcher_assignment: true, ..none };
        assert_eq!(matcher_on.apply(ASSIGN_BY_CLIENTS), ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER);
        let clients_off = AssignmentUpdate { deny_client_assignment: true, ..none };
        assert_eq!(clients_off.apply(ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER), ASSIGN_BY_MATCHER);
        assert_eq!(assignment(false, false), 0, "by default only the provider itself assigns");
        assert_eq!(assignment(true, true), ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER);
    }

    fn indexed(free_cores: u64, per_core: u64) -> IndexedProvider {
        let capacity = compute_market_client::index_api::Resources { cpu_cores: 8, ram_gb: 16, storage_gb: 100, gpus: 0 };
        IndexedProvider {
            authority: "Pro1".into(), account: "Acc1".into(), capacity,
            free: compute_market_client::index_api::Resources { cpu_cores: free_cores, ..capacity },
            rates: compute_market_client::index_api::Rates { per_core, per_gb_ram: 0, per_gb_storage: 0, per_gpu: 0 },
            metadata_uri: String::new(), assignment: 0, active: true, retired: false, reputation: 5_000, jobs_assigned: 0,
            jobs_completed: 0, jobs_failed: 0, lamports_earned: 0, registered_at: 0, last_heartbeat_at: 0,
        }
    }

    #[test]
    fn the_index_prefilters_and_the_rest_is_checked_on_free_capacity_and_price() {
        let filter = ProviderFilter { active: Some(true), min_cores: 4, min_storage_gb: 50, retired: Some(false), max_price_per_hour: Some(400), ..Default::default() };
        assert_eq!(index_query(&filter), ProviderQuery { active: Some(true), retired: Some(false), min_cpu_cores: Some(4), ..Default::default() });
        assert_eq!(index_query(&ProviderFilter::default()), ProviderQuery::default());
        assert!(indexed_matches(&filter, &indexed(4, 100)));
        assert!(!indexed_matches(&filter, &indexed(3, 100)), "the API's minimum is on capacity; free capacity decides");
        assert!(!indexed_matches(&filter, &indexed(4, 101)), "4 cores at 101 exceed 400 per hour");
        assert!(!indexed_matches(&ProviderFilter { min_storage_gb: 101, ..filter.clone() }, &indexed(4, 100)));
        assert!(!indexed_matches(&ProviderFilter { min_reputation: 5_001, ..filter.clone() }, &indexed(4, 100)));
        assert!(!indexed_matches(&ProviderFilter { retired: Some(true), ..filter }, &indexed(4, 100)));
    }
}
