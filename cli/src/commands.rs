//! The command tree: one module per area.

mod agent;
mod bond;
pub mod hardware;
mod job;
mod matcher;
mod market;
mod mint;
mod provider;
mod report;
mod stats;
mod wallet;

use clap::Subcommand;

use crate::context::Context;
pub use compute_market_client::gpus::{describe_gpus, describe_needs};

#[derive(Subcommand)]
pub enum Command {
    /// The market: show it, initialise it (the program's upgrade authority) and govern it (its admin), and
    /// move the fees providers hold to its treasury (anyone).
    #[command(subcommand)]
    Market(market::MarketCommand),
    /// Providers: register and manage your own (who may assign you jobs, retiring, earnings held for
    /// you), list and inspect others.
    #[command(subcommand)]
    Provider(provider::ProviderCommand),
    /// Provider bonds: deposit, request a withdrawal, withdraw after the cool-down; show and list.
    #[command(subcommand)]
    Bond(bond::BondCommand),
    /// Jobs: post, assign, decline or take back, follow and settle them.
    #[command(subcommand)]
    Job(job::JobCommand),
    /// The provider agent: runs the signer's provider's jobs.
    #[command(subcommand)]
    Agent(agent::AgentCommand),
    /// The automated matcher (the market's matcher authority).
    #[command(subcommand)]
    Matcher(matcher::MatcherCommand),
    /// Token payments: the market's accepted mints and providers' prices in them.
    #[command(subcommand)]
    Mint(mint::MintCommand),
    /// Create your client profile (post_job does it on first use).
    RegisterClient,
    /// Market totals, or a provider's or a client's figures: from the index API when given (its whole
    /// history), else summed over the accounts the node holds now.
    Stats(stats::StatsArgs),
    /// A provider's earnings or a client's spending, day by day (or hour by hour) with totals; needs the
    /// index API. Without --provider or --client: the signer's, as a provider if the index knows it as one,
    /// else as a client.
    Report(report::ReportArgs),
    /// Ask the node for SOL (localnet and devnet).
    Airdrop(wallet::AirdropArgs),
    /// An address's balance in SOL.
    Balance(wallet::BalanceArgs),
    /// The signer's address.
    Address,
}

pub fn run(context: &Context, command: Command) -> Result<(), String> {
    match command {
        Command::Market(c) => market::run(context, c),
        Command::Provider(c) => provider::run(context, c),
        Command::Bond(c) => bond::run(context, c),
        Command::Job(c) => job::run(context, c),
        Command::Mint(c) => mint::run(context, c),
        Command::Agent(c) => agent::run(context, c),
        Command::Matcher(c) => matcher::run(context, c),
        Command::RegisterClient => {
            let signer = context.signer()?;
            let ix = compute_market_client::builders::register_client(&solana_signer::Signer::pubkey(&signer));
            context.send(&signer, &[ix], "register_client")
        }
        Command::Stats(args) => stats::run(context, args),
        Command::Report(args) => report::run(context, args),
        Command::Airdrop(args) => wallet::airdrop(context, args),
        Command::Balance(args) => wallet::balance(context, args),
        Command::Address => {
            println!("{}", context.me()?);
            Ok(())
        }
    }
}
