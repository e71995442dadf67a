//! `cmkt job post`: a job's terms checked here, its escrow (in SOL, or in a token the market accepts)
//! checked against the wallet, then post_job (with the client profile on first use).

use clap::Args;
use compute_market::constants::MAX_URI_LEN;
use compute_market::math::pricing::cost_for;
use compute_market::state::{space, ClientProfile, Job, Resources, Vault};
use compute_market_client::amounts::Currency;
use compute_market_client::builders::{self, JobTerms, Pay};
use compute_market_client::documents::data_uri;
use compute_market_client::spec::JobSpec;
use compute_market_client::{pda, spec_hash};
use solana_signer::Signer;

use crate::context::{describe, parse_key, Context};
use crate::views;

/// A token account's size (the Token program's, without extensions): the vault's is created at posting.
const TOKEN_ACCOUNT_LEN: usize = 165;

#[derive(Args)]
pub struct PostArgs {
    #[arg(long, default_value_t = 0)]
    cores: u16,
    #[arg(long, default_value_t = 0)]
    ram_gb: u32,
    #[arg(long, default_value_t = 0)]
    storage_gb: u32,
    #[arg(long, default_value_t = 0)]
    gpus: u16,
    #[command(flatten)]
    gpu_needs: crate::commands::hardware::GpuNeedsArgs,
    /// Duration in hours (decimals allowed), or use --duration-secs.
    #[arg(long, conflicts_with = "duration_secs")]
    hours: Option<String>,
    #[arg(long)]
    duration_secs: Option<u32>,
    /// Highest price per hour, in what the job is paid in (--mint): SOL by default, e.g. 0.01; or the
    /// token's units, e.g. 1.5 for 1.5 USDC (at most the mint's decimals).
    #[arg(long)]
    max_price: String,
    /// Pay in a token: a symbol of the mint table (USDC) or a mint address the market accepts. SOL
    /// (the default) pays in lamports.
    #[arg(long, default_value = "SOL")]
    mint: String,
    #[arg(long, default_value_t = 0)]
    min_reputation: u16,
    /// Bond the provider must have free, in what the job is paid in (e.g. 0.5 for 0.5 SOL): locked while
    /// the job runs, and partly paid to you if the provider fails the job. None by default.
    #[arg(long)]
    min_bond: Option<String>,
    /// Only this provider (authority) may take it.
    #[arg(long)]
    target_provider: Option<String>,
    /// The job spec file (JSON, schema version 1): checked here, its sha256 goes on chain; unless --spec-uri
    /// is given it travels inline as a data: URI when short enough, else by file:// URI (local runs).
    #[arg(long)]
    spec: Option<std::path::PathBuf>,
    #[arg(long)]
    spec_uri: Option<String>,
}

pub fn post(context: &Context, args: PostArgs) -> Result<(), String> {
    let signer = context.signer()?;
    let me = signer.pubkey();
    let duration_secs = super::duration::secs(args.hours.as_deref(), args.duration_secs, "--duration-secs")?;
    let (pay, currency) = context.payment(&args.mint)?;
    let max_price_per_hour = currency.parse(&args.max_price)?;
    let (spec_hash, spec_uri) = match (&args.spec, args.spec_uri) {
        (Some(path), uri) => {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read spec {}: {e}", path.display()))?;
            JobSpec::parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            let absolute = std::fs::canonicalize(path).map_err(|e| e.to_string())?;
            let inline = data_uri(&bytes);
            let uri = uri.unwrap_or_else(|| {
                if inline.len() <= MAX_URI_LEN as usize { inline } else { format!("file://{}", absolute.display()) }
            });
            (spec_hash(&bytes), uri)
        }
        (None, Some(uri)) => (spec_hash(uri.as_bytes()), uri),
        (None, None) => return Err("give the job spec as --spec FILE (or --spec-uri URI)".into()),
    };
    let terms = JobTerms {
        requirements: Resources { cpu_cores: args.cores, ram_gb: args.ram_gb, storage_gb: args.storage_gb, gpus: args.gpus },
        gpu: args.gpu_needs.needs(args.gpus)?,
        duration_secs,
        max_price_per_hour,
        min_reputation: args.min_reputation,
        min_bond: args.min_bond.as_deref().map(|amount| currency.parse(amount)).transpose()?.unwrap_or(0),
        target_provider: args.target_provider.map(|t| parse_key(&t, "target provider")).transpose()?,
        spec_hash,
        spec_uri,
    };

    let client = &context.client;
    let job_id = client.next_job_id(&me).map_err(|e| describe("reading your client profile", e))?;
    let escrow = cost_for(max_price_per_hour, duration_secs.into()).ok_or("the escrow overflows: lower the price or duration")?;
    require_funds(context, &me, &pay, &currency, escrow)?;

    let mut instructions = Vec::new();
    if client.client_profile(&me).is_err() {
        instructions.push(builders::register_client(&me));
    }
    instructions.push(builders::post_job_in(&me, builders::job_args(&me, job_id, terms), &pay));
    context.send(&signer, &instructions, "post_job")?;
    let address = pda::job(&me, job_id);
    let job = client.job(&address).map_err(|e| describe("reading the new job", e))?;
    context.output.record(&views::job(&address, &job, &currency));
    Ok(())
}

/// Refuses in words a post the wallet cannot pay for: the escrow (in SOL or in the token, from the
/// wallet's associated token account) and the rent of the accounts posting creates, in SOL.
fn require_funds(context: &Context, me: &anchor_lang::prelude::Pubkey, pay: &Pay, currency: &Currency, escrow: u64) -> Result<(), String> {
    let client = &context.client;
    let rent = |bytes: usize| client.rpc().get_minimum_balance_for_rent_exemption(bytes).map_err(|e| e.to_string());
    let mut rent_needed = rent(space::<Job>())? + rent(space::<Vault>())?;
    if client.client_profile(me).is_err() {
        rent_needed += rent(space::<ClientProfile>())?;
    }
    let balance = client.balance(me).map_err(|e| describe("reading your balance", e))?;
    let sol = Currency::sol();
    match pay {
        Pay::Lamports => {
            let needed = escrow + rent_needed;
            if balance < needed {
                return Err(format!(
                    "insufficient funds: posting needs {} (escrow {} plus rent), the wallet {me} has {}",
                    sol.format(needed),
                    sol.format(escrow),
                    sol.format(balance)
                ));
            }
        }
        Pay::Token { mint, token_program } => {
            let held = client.tokens_of(me, mint, token_program).map_err(|e| describe("reading your token account", e))?;
            if held < escrow {
                return Err(format!(
                    "insufficient funds: posting needs {} in escrow, the wallet {me}'s {} account holds {}",
                    currency.format(escrow),
                    currency.name,
                    currency.format(held)
                ));
            }
            rent_needed += rent(TOKEN_ACCOUNT_LEN)?;
            if balance < rent_needed {
                return Err(format!(
                    "insufficient funds: posting needs {} of rent (the job, its vault and the vault's token account), the wallet {me} has {}",
                    sol.format(rent_needed),
                    sol.format(balance)
                ));
            }
        }
    }
    Ok(())
}
