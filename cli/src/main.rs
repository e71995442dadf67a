//! `cmkt`: use the compute marketplace from a terminal. Follows the Solana CLI's conventions:
//! `--url` (localnet, devnet or a URL), `--keypair` (default ~/.config/solana/id.json), tables by
//! default and `--output json` for scripts. `--api` names the indexer's REST API, which lists and stats
//! read when given (history the node does not keep) and `report` needs. `--mints` names the mint table
//! that says which token a symbol such as `USDC` is on this cluster.

mod commands;
mod context;
mod figures;
mod index_views;
mod output;
mod views;

use clap::Parser;

use crate::commands::Command;
use crate::context::Context;
use crate::output::Output;

/// The environment variable that gives the index API's URL when --api does not.
const API_URL_VARIABLE: &str = "CMKT_API_URL";
/// The environment variable that gives the mint table's file when --mints does not.
const MINTS_VARIABLE: &str = "CMKT_MINTS";

#[derive(Parser)]
#[command(name = "cmkt", version, about = "Rent out and buy compute on the Solana compute marketplace")]
struct Cli {
    /// localnet, devnet, testnet, mainnet-beta, or an RPC URL.
    #[arg(short = 'u', long, global = true, default_value = "localnet")]
    url: String,
    /// The signer's keypair file.
    #[arg(short = 'k', long, global = true, default_value = "~/.config/solana/id.json")]
    keypair: String,
    #[arg(short = 'o', long, global = true, value_enum, default_value = "table")]
    output: Output,
    /// The index API's URL (e.g. http://127.0.0.1:8902), default $CMKT_API_URL. Lists and stats read it
    /// when given, the node otherwise (only the accounts that exist now); `report` needs it.
    #[arg(long, global = true, value_name = "URL")]
    api: Option<String>,
    /// The mint table: a JSON file `[{"symbol": "USDC", "address": "<mint>", "decimals": 6}]` naming the
    /// tokens `--mint` accepts by symbol, default $CMKT_MINTS; else, against the local node,
    /// .localnet/mints.json (written by `localnet`), else ~/.config/cmkt/mints.json if it exists.
    #[arg(long, global = true, value_name = "FILE")]
    mints: Option<String>,
    #[command(subcommand)]
    command: Command,
}

fn main() {
    // A job's sandbox starts this executable as its init; that never returns.
    compute_market_agent::sandbox::enter_if_requested();
    let cli = Cli::parse();
    let api = cli.api.or_else(|| std::env::var(API_URL_VARIABLE).ok());
    let mints = cli.mints.or_else(|| std::env::var(MINTS_VARIABLE).ok());
    let result = context::mint_table(mints.as_deref(), &context::resolve_url(&cli.url))
        .and_then(|mints| commands::run(&Context::new(&cli.url, &cli.keypair, cli.output, api, mints), cli.command));
    if let Err(message) = result {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}
