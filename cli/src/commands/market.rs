//! The market account: show it; initialise and govern it as its admin.

use clap::{Args, Subcommand};
use compute_market::instructions::{InitializeMarketArgs, UpdateMarketArgs};
use compute_market::state::TimeWindows;
use compute_market_client::{builders, pda};
use solana_signer::Signer;

use crate::context::{describe, parse_key, Context};
use crate::views;

#[derive(Subcommand)]
pub enum MarketCommand {
    /// Fees, windows, admin, matcher and totals.
    Show,
    /// Create the market (once per deployment); the signer becomes its admin.
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
    },
    /// Change the fee, pause or resume, the windows, or the matcher (admin only).
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
    },
    /// Propose a new admin, who must accept (admin only).
    ProposeAdmin { new_admin: String },
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

pub fn run(context: &Context, command: MarketCommand) -> Result<(), String> {
    match command {
        MarketCommand::Show => {
            let market = context.client.market().map_err(|e| describe("reading the market", e))?;
            context.output.record(&views::market(&pda::market(), &market));
            Ok(())
        }
        MarketCommand::Init { treasury, fee_bps, matcher, windows } => {
            let signer = context.signer()?;
            let matcher = matcher.map(|m| parse_key(&m, "matcher")).transpose()?;
            let args = InitializeMarketArgs { fee_bps, matcher, windows: windows.windows() };
            let ix = builders::initialize_market(&signer.pubkey(), &parse_key(&treasury, "treasury")?, args);
            context.send(&signer, &[ix], "initialize_market")
        }
        MarketCommand::Update { fee_bps, pause, resume, matcher, clear_matcher, treasury, set_windows, windows } => {
            let signer = context.signer()?;
            let args = UpdateMarketArgs {
                fee_bps,
                paused: if pause { Some(true) } else if resume { Some(false) } else { None },
                windows: set_windows.then(|| windows.windows()),
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
    }
}
