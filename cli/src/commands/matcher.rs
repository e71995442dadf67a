//! `cmkt matcher run`: the automated matcher, signed by the market's matcher authority.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, Subcommand};
use compute_market_client::watch::websocket_url;
use compute_market_matcher::{Matcher, MatcherConfig};

use crate::context::Context;

#[derive(Subcommand)]
pub enum MatcherCommand {
    /// Assign open jobs to the best fitting providers until stopped (the signer must be the market's matcher).
    Run(MatcherArgs),
}

#[derive(Args)]
pub struct MatcherArgs {
    /// Where the explanations of unmatched jobs are served (for `cmkt job why`).
    #[arg(long, default_value = "127.0.0.1:8901")]
    listen: SocketAddr,
    /// WebSocket URL of the node (default: the RPC URL's, port + 1).
    #[arg(long)]
    ws_url: Option<String>,
    #[arg(long, default_value_t = 5)]
    poll_secs: u64,
}

pub fn run(context: &Context, command: MatcherCommand) -> Result<(), String> {
    let MatcherCommand::Run(args) = command;
    let rpc_url = context.client.url();
    let config = MatcherConfig {
        ws_url: args.ws_url.unwrap_or_else(|| websocket_url(&rpc_url)),
        rpc_url,
        keypair: context.signer()?,
        listen: Some(args.listen),
        poll: Duration::from_secs(args.poll_secs.max(1)),
        mints: context.mints.clone(),
    };
    let matcher = Matcher::new(&config)?;
    println!("matcher: {} matching, explanations at {}", context.me()?, matcher.endpoint_url().unwrap_or_default());
    matcher.run(&config)
}
