//! `cmkt agent run`: the provider agent for the signer's provider.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use clap::{Args, Subcommand};
use compute_market::state::Resources;
use compute_market_agent::{AcceptPolicy, Agent, AgentConfig};
use compute_market_client::amounts::parse_sol;
use compute_market_client::keypair_file::expand_home;
use compute_market_client::watch::websocket_url;

use crate::context::Context;

#[derive(Subcommand)]
pub enum AgentCommand {
    /// Run jobs for the signer's provider until stopped: the jobs assigned to it (by the matcher or by
    /// clients, as its assignment policy allows) and, with --auto-accept, open jobs it accepts itself.
    /// Jobs whose spec does not verify are declined; earnings the provider account holds for the wallet
    /// are withdrawn once the wallet can receive them.
    Run(AgentArgs),
}

#[derive(Args)]
pub struct AgentArgs {
    /// Journal, job directories and result bundles.
    #[arg(long, default_value = "~/.local/share/compute-market/agent")]
    workdir: String,
    /// Where result bundles are served.
    #[arg(long, default_value = "127.0.0.1:8910")]
    listen: SocketAddr,
    /// The endpoint as clients reach it, published as the provider's metadata URI (default http://<listen>).
    #[arg(long)]
    public_url: Option<String>,
    /// Capacity to offer, as CORES,RAM_GB,STORAGE_GB,GPUS (default: what the provider account says).
    #[arg(long, value_parser = parse_resources)]
    capacity: Option<Resources>,
    /// Accept open jobs that fit the policy below, without waiting for the matcher or the client.
    #[arg(long)]
    auto_accept: bool,
    /// Policy: the lowest price per hour to accept for a job paid in SOL, in SOL (jobs paid in a token are
    /// priced by the provider's quote in their mint, `cmkt mint quote`, and held to --min-token-price).
    #[arg(long, default_value = "0")]
    min_price: String,
    /// Policy: the lowest price per hour to accept for a job paid in a token, as TOKEN=AMOUNT (a symbol of
    /// the mint table or a mint address, an amount of that token: USDC=0.2); repeat for each token. None
    /// by default.
    #[arg(long, value_name = "TOKEN=AMOUNT")]
    min_token_price: Vec<String>,
    /// Policy: the longest job to accept, in seconds.
    #[arg(long, default_value_t = 86_400)]
    max_duration_secs: u32,
    /// Policy: the most capacity to commit at once, as CORES,RAM_GB,STORAGE_GB,GPUS (default: all of it).
    #[arg(long, value_parser = parse_resources)]
    commit: Option<Resources>,
    /// docker or podman, for specs that name a container image.
    #[arg(long)]
    container_runtime: Option<String>,
    /// Where job directories live (the job user must be able to reach it; default
    /// /var/lib/compute-market/jobs/<provider> as root, else <workdir>/jobs).
    #[arg(long)]
    jobs_dir: Option<PathBuf>,
    /// Give jobs that ask for it outbound network (never the host's loopback).
    #[arg(long)]
    allow_network: bool,
    /// Run jobs WITHOUT the sandbox, with this machine's files and network. Announced at every start and
    /// in the provider's metadata. Only for machines that hold nothing worth protecting.
    #[arg(long)]
    dangerously_run_jobs_unisolated: bool,
    /// Offer GPUs (and a CPU architecture) as the provider account declares them even where this agent
    /// cannot find them on the machine (no nvidia-smi, other cards). Published in the provider's metadata.
    #[arg(long)]
    unverified_hardware: bool,
    /// WebSocket URL of the node (default: the RPC URL's, port + 1).
    #[arg(long)]
    ws_url: Option<String>,
    #[arg(long, default_value_t = 5)]
    poll_secs: u64,
    /// Seconds an assigned job's spec may stay unreachable before the job is declined (given back at no
    /// cost to the provider's reputation; a spec that does not match its hash is declined at once).
    #[arg(long, default_value_t = 60)]
    spec_patience_secs: u64,
}

pub fn run(context: &Context, command: AgentCommand) -> Result<(), String> {
    let AgentCommand::Run(args) = command;
    let keypair = context.signer()?;
    let rpc_url = context.client.url();
    let policy = if args.auto_accept {
        let capacity = context.client.provider(&context.me()?).map_err(|e| e.to_string())?.capacity;
        Some(AcceptPolicy {
            min_price_per_hour: parse_sol(&args.min_price)?,
            min_token_prices: args.min_token_price.iter().map(|given| token_minimum(context, given)).collect::<Result<_, _>>()?,
            max_duration_secs: args.max_duration_secs,
            max_commit: args.commit.or(args.capacity).unwrap_or(capacity),
        })
    } else {
        None
    };
    let ws_url = args.ws_url.unwrap_or_else(|| websocket_url(&rpc_url));
    let config = AgentConfig {
        public_url: args.public_url,
        capacity: args.capacity,
        policy,
        container_runtime: args.container_runtime,
        jobs_dir: args.jobs_dir,
        unisolated: args.dangerously_run_jobs_unisolated,
        unverified_hardware: args.unverified_hardware,
        allow_network: args.allow_network,
        poll: Duration::from_secs(args.poll_secs.max(1)),
        spec_patience: Duration::from_secs(args.spec_patience_secs),
        ..AgentConfig::new(&rpc_url, &ws_url, keypair, PathBuf::from(expand_home(&args.workdir)), args.listen)
    };
    let agent = Agent::new(&config)?;
    println!("agent: provider {}, results served at {}", context.me()?, agent.endpoint_url());
    agent.run(&config.ws_url, config.poll)
}

/// "USDC=0.2" -> the mint and 0.2 USDC in its base units, with the decimals the market recorded for it.
fn token_minimum(context: &Context, given: &str) -> Result<(Pubkey, u64), String> {
    let (token, amount) = given.split_once('=').ok_or_else(|| format!("`{given}` is not TOKEN=AMOUNT (e.g. USDC=0.2)"))?;
    let mint = context.mint_key(token.trim())?;
    let record = context
        .client
        .payment_mint(&mint)
        .map_err(|e| format!("--min-token-price {given}: reading the market's record of {token} (mint {mint}): {e}"))?;
    Ok((mint, context.mints.currency(&mint, record.decimals).parse(amount.trim())?))
}

/// "8,32,100,0" -> cores, RAM GB, storage GB, GPUs.
pub fn parse_resources(text: &str) -> Result<Resources, String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let bad = || format!("`{text}` is not CORES,RAM_GB,STORAGE_GB,GPUS (e.g. 8,32,100,0)");
    let [cores, ram, storage, gpus] = parts.as_slice() else { return Err(bad()) };
    Ok(Resources {
        cpu_cores: cores.parse().map_err(|_| bad())?,
        ram_gb: ram.parse().map_err(|_| bad())?,
        storage_gb: storage.parse().map_err(|_| bad())?,
        gpus: gpus.parse().map_err(|_| bad())?,
    })
}
