//! Token payments: the mints the market accepts (admin) and a provider's prices in them.

use clap::Subcommand;
use compute_market::state::Rates;
use compute_market_client::builders;
use solana_signer::Signer;

use crate::context::{describe, parse_key, Context};

#[derive(Subcommand)]
pub enum MintCommand {
    /// Accept payments in a mint (admin); the market's treasury gets a token account for it.
    Add { mint: String },
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
        MintCommand::Add { mint } => {
            let mint = parse_key(&mint, "mint")?;
            let treasury = context.client.market().map_err(|e| describe("reading the market", e))?.treasury;
            let ix = builders::add_payment_mint(&me, &treasury, &mint, &token_program(&mint)?);
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
