//! `cmkt`: use the compute marketplace from a terminal. Follows the Solana CLI's conventions:
//! `--url` (localnet, devnet or a URL), `--keypair` (default ~/.config/solana/id.json), tables by
//! default and `--output json` for scripts.

mod commands;
mod context;
mod output;
mod views;

use clap::Parser;

use crate::commands::Command;
use crate::context::Context;
use crate::output::Output;

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
    #[command(subcommand)]
    command: Command,
}

fn main() {
    // A job's sandbox starts this executable as its init; that never returns.
    compute_market_agent::sandbox::enter_if_requested();
    let cli = Cli::parse();
    let context = Context::new(&cli.url, &cli.keypair, cli.output);
    if let Err(message) = commands::run(&context, cli.command) {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}
