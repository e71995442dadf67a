//! Token payments: the mints the market accepts (admin) and a provider's prices in them.

use clap::Subcommand;
use compute_market::instructions::AddPaymentMintArgs;
use compute_market::state::Rates;
use compute_market_client::builders;
use solana_signer::Signer;

use crate::context::{describe, parse_key, Context};

#[derive(Subcommand)]
pub enum MintCommand {
    /// Accept payments in a mint (admin); the market's treasury gets a token account for it. Mints with
    /// transfer fees, hooks, permanent delegates and the like are refused, and so is wrapped SOL.
    Add {
        mint: String,
        /// What one whole token counts as, in lamports, when reputation weighs work paid in it (a reference
        /// value, never a price anything is paid at; e.g. 5000000 for a token worth about 0.005 SOL).
        #[arg(long)]
        reputation_lamports_per_token: u64,
        /// Accept a mint that has a freeze authority (USDC has one), acknowledging that it can freeze a
        /// job's escrow; such a job settles once it is thawed. Without it such a mint is refused.
        #[arg(long)]
        acknowledge_freeze_authority: bool,
    },
    /// Stop or resume accepting new jobs in a mint (admin).
    Enable { mint: String },
    Disable { mint: String },
    /// Quote your hourly rates in a mint, in its base units (provider).
    Quote {
        mint: String,
        #[arg(long)]
        per_core: u64,
        #[arg(long)]
        per_gb_ram: u64,
        #[arg(long)]
        per_gb_storage: u64,
        #[arg(long)]
        per_gpu: u64,
        /// Change an existing quote instead of adding one.
        #[arg(long)]
        update: bool,
    },
    /// Withdraw your quote in a mint (provider).
    Unquote { mint: String },
}

pub fn run(context: &Context, command: MintCommand) -> Result<(), String> {
    let signer = context.signer()?;
    let me = signer.pubkey();
    let token_program = |mint| -> Result<_, String> {
        let account = context.client.rpc().get_account(mint).map_err(|e| format!("reading mint {mint}: {e}"))?;
        Ok(account.owner)
    };
    match command {
        MintCommand::Add { mint, reputation_lamports_per_token, acknowledge_freeze_authority } => {
            let mint = parse_key(&mint, "mint")?;
            let facts = context.client.mint_facts(&mint).map_err(|e| describe("reading the mint", e))?;
            if let (Some(authority), false) = (facts.freeze_authority, acknowledge_freeze_authority) {
                return Err(format!(
                    "mint {mint} has a freeze authority ({authority}), which can freeze a job's escrow until it thaws it; accept it with --acknowledge-freeze-authority"
                ));
            }
            if reputation_lamports_per_token == 0 {
                return Err("--reputation-lamports-per-token must be above zero".into());
            }
            let treasury = context.client.market().map_err(|e| describe("reading the market", e))?.treasury;
            let args = AddPaymentMintArgs { acknowledge_freeze_authority, reputation_lamports_per_token };
            let ix = builders::add_payment_mint(&me, &treasury, &mint, &facts.token_program, args);
            context.send(&signer, &[ix], "add_payment_mint")
        }
        MintCommand::Enable { mint } => {
            let ix = builders::set_payment_mint_enabled(&me, &parse_key(&mint, "mint")?, true);
            context.send(&signer, &[ix], "set_payment_mint_enabled")
        }
        MintCommand::Disable { mint } => {
            let ix = builders::set_payment_mint_enabled(&me, &parse_key(&mint, "mint")?, false);
            context.send(&signer, &[ix], "set_payment_mint_enabled")
        }
        MintCommand::Quote { mint, per_core, per_gb_ram, per_gb_storage, per_gpu, update } => {
            let mint = parse_key(&mint, "mint")?;
            let rates = Rates { per_core, per_gb_ram, per_gb_storage, per_gpu };
            let ix = if update {
                builders::update_mint_quote(&me, &mint, rates)
            } else {
                builders::add_mint_quote(&me, &mint, &token_program(&mint)?, rates)
            };
            context.send(&signer, &[ix], if update { "update_mint_quote" } else { "add_mint_quote" })
        }
        MintCommand::Unquote { mint } => {
            let ix = builders::remove_mint_quote(&me, &parse_key(&mint, "mint")?);
            context.send(&signer, &[ix], "remove_mint_quote")
        }
    }
}
