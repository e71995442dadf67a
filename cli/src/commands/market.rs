//! The market account: show it; initialise and govern it as its admin; move the fees providers hold to
//! its treasury (anyone).

use clap::{Args, Subcommand};
use compute_market::instructions::{InitializeMarketArgs, UpdateMarketArgs};
use compute_market::state::{BondTerms, TimeWindows};
use compute_market_client::amounts::format_sol;
use compute_market_client::{builders, pda, ClientError, ProviderFilter};
use serde_json::json;
use solana_signer::Signer;

use crate::context::{describe, parse_key, Context};
use crate::output::Output;
use crate::views;

#[derive(Subcommand)]
pub enum MarketCommand {
    /// Fee, windows, admin, treasury and matcher (market totals: `cmkt stats`).
    Show,
    /// Create the market (once per deployment). The signer must be the program's upgrade authority (the
    /// key that deployed it; the program refuses anyone else as NotUpgradeAuthority), and becomes the
    /// market's admin.
    Init {
        /// Account that receives the platform fee.
        #[arg(long)]
        treasury: String,
        /// Platform fee in basis points (at most 1,000 = 10%).
        #[arg(long, default_value_t = 250)]
        fee_bps: u16,
        /// Authority allowed to assign jobs automatically.
        #[arg(long)]
        matcher: Option<String>,
        #[command(flatten)]
        windows: WindowArgs,
        #[command(flatten)]
        bonds: BondArgs,
    },
    /// Change the fee, pause or resume, the windows, the bond terms or the matcher (admin only).
    Update {
        #[arg(long)]
        fee_bps: Option<u16>,
        #[arg(long, conflicts_with = "resume")]
        pause: bool,
        #[arg(long)]
        resume: bool,
        #[arg(long, conflicts_with = "clear_matcher")]
        matcher: Option<String>,
        #[arg(long)]
        clear_matcher: bool,
        /// A new treasury account for fees.
        #[arg(long)]
        treasury: Option<String>,
        /// Replace all four windows (each needs a value).
        #[arg(long)]
        set_windows: bool,
        #[command(flatten)]
        windows: WindowArgs,
        /// Replace the bond terms (both take their values, or their defaults).
        #[arg(long)]
        set_bond_terms: bool,
        #[command(flatten)]
        bonds: BondArgs,
    },
    /// Propose a new admin, who must accept (admin only).
    ProposeAdmin { new_admin: String },
    /// Move the lamport fees that settled jobs set aside on provider accounts to the treasury (anyone may;
    /// the signer pays the transaction fees). Every provider holding fees, or only those named.
    CollectFees {
        /// A provider's authority; repeat for several.
        #[arg(long)]
        provider: Vec<String>,
    },
    /// Accept the admin role proposed to the signer.
    AcceptAdmin,
}

#[derive(Args)]
pub struct WindowArgs {
    /// Seconds an assigned job has to start.
    #[arg(long, default_value_t = 600)]
    start_window: u32,
    /// Seconds the client has to review a result.
    #[arg(long, default_value_t = 3_600)]
    review_window: u32,
    /// Seconds after the run deadline a result may still arrive.
    #[arg(long, default_value_t = 300)]
    grace: u32,
    /// Seconds the admin has to resolve a dispute.
    #[arg(long, default_value_t = 86_400)]
    dispute_window: u32,
}

impl WindowArgs {
    fn windows(&self) -> TimeWindows {
        TimeWindows {
            start_window_secs: self.start_window,
            review_window_secs: self.review_window,
            grace_secs: self.grace,
            dispute_window_secs: self.dispute_window,
        }
    }
}

#[derive(Args)]
pub struct BondArgs {
    /// Seconds a requested bond withdrawal waits.
    #[arg(long, default_value_t = 86_400)]
    bond_cooldown: u32,
    /// Share of a failed job's minimum bond slashed to its client, in basis points (at most 5,000).
    #[arg(long, default_value_t = 2_500)]
    slash_bps: u16,
}

impl BondArgs {
    fn terms(&self) -> BondTerms {
        BondTerms { cooldown_secs: self.bond_cooldown, slash_bps: self.slash_bps }
    }
}

pub fn run(context: &Context, command: MarketCommand) -> Result<(), String> {
    match command {
        MarketCommand::Show => {
            let market = context.client.market().map_err(|e| describe("reading the market", e))?;
            context.output.record(&views::market(&pda::market(), &market));
            Ok(())
        }
        MarketCommand::Init { treasury, fee_bps, matcher, windows, bonds } => {
            let signer = context.signer()?;
            require_upgrade_authority(context, &signer.pubkey())?;
            if let Ok(market) = context.client.market() {
                return Err(format!("the market exists already, with admin {}", market.admin));
            }
            let matcher = matcher.map(|m| parse_key(&m, "matcher")).transpose()?;
            let args = InitializeMarketArgs { fee_bps, matcher, windows: windows.windows(), bonds: bonds.terms() };
            let ix = builders::initialize_market(&signer.pubkey(), &parse_key(&treasury, "treasury")?, args);
            context.send(&signer, &[ix], "initialize_market")
        }
        MarketCommand::Update { fee_bps, pause, resume, matcher, clear_matcher, treasury, set_windows, windows, set_bond_terms, bonds } => {
            let signer = context.signer()?;
            let args = UpdateMarketArgs {
                fee_bps,
                paused: if pause { Some(true) } else if resume { Some(false) } else { None },
                windows: set_windows.then(|| windows.windows()),
                bonds: set_bond_terms.then(|| bonds.terms()),
                set_matcher: matcher.map(|m| parse_key(&m, "matcher")).transpose()?,
                clear_matcher,
            };
            let treasury = treasury.map(|t| parse_key(&t, "treasury")).transpose()?;
            let ix = builders::update_market(&signer.pubkey(), treasury, args);
            context.send(&signer, &[ix], "update_market")
        }
        MarketCommand::ProposeAdmin { new_admin } => {
            let signer = context.signer()?;
            let ix = builders::propose_admin(&signer.pubkey(), parse_key(&new_admin, "admin")?);
            context.send(&signer, &[ix], "propose_admin")
        }
        MarketCommand::AcceptAdmin => {
            let signer = context.signer()?;
            context.send(&signer, &[builders::accept_admin(&signer.pubkey())], "accept_admin")
        }
        MarketCommand::CollectFees { provider } => collect_fees(context, &provider),
    }
}

/// initialize_market accepts only the program's upgrade authority: refused here in words when the
/// program data names another key, or none. Where the program data cannot be read, the program decides.
fn require_upgrade_authority(context: &Context, signer: &anchor_lang::prelude::Pubkey) -> Result<(), String> {
    match context.client.upgrade_authority() {
        Ok(Some(authority)) if authority == *signer => Ok(()),
        Ok(Some(authority)) => Err(format!(
            "only the program's upgrade authority may create the market, and it is {authority}, not the signer {signer}: run `market init` with --keypair of {authority} (it becomes the admin, and can hand the role on with propose-admin)"
        )),
        Ok(None) => Err(format!("the program is immutable (no upgrade authority), so nobody can create its market; {signer} cannot either")),
        Err(error @ ClientError::Rpc(_)) => Err(describe("reading the program's upgrade authority", error)),
        Err(_) => Ok(()),
    }
}

/// Moves the fees of every provider named (all that hold any, when none is) to the treasury, several
/// providers to a transaction.
fn collect_fees(context: &Context, named: &[String]) -> Result<(), String> {
    const PER_TRANSACTION: usize = 8;
    let signer = context.signer()?;
    let client = &context.client;
    let treasury = client.market().map_err(|e| describe("reading the market", e))?.treasury;
    let holding: Vec<(anchor_lang::prelude::Pubkey, u64)> = if named.is_empty() {
        let all = client.list_providers(&ProviderFilter::default()).map_err(|e| describe("listing providers", e))?;
        all.iter().filter(|(_, p)| p.fees_owed > 0).map(|(_, p)| (p.authority, p.fees_owed)).collect()
    } else {
        let mut holding = Vec::new();
        for text in named {
            let authority = parse_key(text, "provider authority")?;
            let provider = client.provider(&authority).map_err(|e| describe("reading the provider", e))?;
            if provider.fees_owed == 0 {
                return Err(format!("provider {authority} holds no fees for the treasury"));
            }
            holding.push((authority, provider.fees_owed));
        }
        holding
    };
    let total: u64 = holding.iter().map(|(_, fees)| fees).sum();
    if holding.is_empty() {
        return Err("no provider holds fees for the treasury".into());
    }
    let short = client.rent_shortfall(&treasury, total).map_err(|e| describe("reading the treasury", e))?;
    if short > 0 {
        return Err(format!(
            "the treasury {treasury} would end below the rent-exempt minimum with the {} SOL collected; send it at least {} SOL first",
            format_sol(total),
            format_sol(short)
        ));
    }
    for batch in holding.chunks(PER_TRANSACTION) {
        let instructions: Vec<_> = batch.iter().map(|(authority, _)| builders::collect_fees(&signer.pubkey(), authority, &treasury)).collect();
        context.send(&signer, &instructions, "collect_fees")?;
    }
    let record = json!({
        "treasury": treasury.to_string(),
        "collected_lamports": total,
        "providers": holding.iter().map(|(authority, fees)| json!({ "authority": authority.to_string(), "fees_lamports": fees })).collect::<Vec<_>>(),
    });
    match context.output {
        Output::Json => context.output.record(&record),
        Output::Table => println!("collected {} SOL from {} provider(s) into the treasury {treasury}", format_sol(total), holding.len()),
    }
    Ok(())
}
