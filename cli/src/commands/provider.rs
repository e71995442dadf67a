//! Providers: register, update, pause, resume and close your own; list and show any.

use clap::{Args, Subcommand};
use compute_market::instructions::{RegisterProviderArgs, UpdateProviderArgs};
use compute_market::state::{Rates, Resources};
use compute_market_client::analytics::provider_stats;
use compute_market_client::{builders, pda, JobFilter, ProviderFilter};
use solana_signer::Signer;

use compute_market_client::amounts::parse_sol;
use crate::context::{describe, parse_key, Context};
use crate::views;

#[derive(Subcommand)]
pub enum ProviderCommand {
    /// Offer capacity at hourly rates per unit.
    Register {
        #[command(flatten)]
        capacity: CapacityArgs,
        #[command(flatten)]
        rates: RateArgs,
        /// Where clients reach the provider (its endpoint or metadata).
        #[arg(long)]
        uri: String,
    },
    /// Change capacity, rates or URI (give all four capacity or all four rate values to change them).
    Update {
        #[arg(long)]
        set_capacity: bool,
        #[command(flatten)]
        capacity: CapacityArgs,
        #[arg(long)]
        set_rates: bool,
        #[command(flatten)]
        rates: RateArgs,
        #[arg(long)]
        uri: Option<String>,
    },
    /// Stop taking new jobs.
    Pause,
    /// Take new jobs again.
    Resume,
    /// Close the provider account and recover its rent (no jobs in flight).
    Close,
    /// A provider by its authority (the signer's by default).
    Show { authority: Option<String> },
    /// Providers, filtered.
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

#[derive(Args)]
pub struct ListArgs {
    /// Only active providers.
    #[arg(long, conflicts_with = "inactive")]
    active: bool,
    /// Only paused providers.
    #[arg(long)]
    inactive: bool,
    /// Free capacity at least this.
    #[arg(long, default_value_t = 0)]
    min_cores: u16,
    #[arg(long, default_value_t = 0)]
    min_ram_gb: u32,
    #[arg(long, default_value_t = 0)]
    min_storage_gb: u32,
    #[arg(long, default_value_t = 0)]
    min_gpus: u16,
    /// Highest price per hour, in SOL, for the minimums asked for.
    #[arg(long)]
    max_price: Option<String>,
    #[arg(long, default_value_t = 0)]
    min_reputation: u16,
}

pub fn run(context: &Context, command: ProviderCommand) -> Result<(), String> {
    match command {
        ProviderCommand::Register { capacity, rates, uri } => {
            let signer = context.signer()?;
            let args = RegisterProviderArgs { capacity: capacity.resources(), rates: rates.rates()?, metadata_uri: uri };
            context.send(&signer, &[builders::register_provider(&signer.pubkey(), args)], "register_provider")
        }
        ProviderCommand::Update { set_capacity, capacity, set_rates, rates, uri } => {
            let signer = context.signer()?;
            let args = UpdateProviderArgs {
                capacity: set_capacity.then(|| capacity.resources()),
                rates: if set_rates { Some(rates.rates()?) } else { None },
                metadata_uri: uri,
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
            record["stats"] = views::provider_stats(&authority, &provider_stats(&provider, &jobs));
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
                max_price_per_hour: args.max_price.as_deref().map(parse_sol).transpose()?,
                min_reputation: args.min_reputation,
            };
            let providers = context.client.list_providers(&filter).map_err(|e| describe("listing providers", e))?;
            let rows: Vec<_> = providers.iter().map(|(address, p)| views::provider(address, p)).collect();
            context.output.table(&rows, &["authority", "active", "free", "rates", "reputation", "active_jobs"]);
            Ok(())
        }
    }
}
