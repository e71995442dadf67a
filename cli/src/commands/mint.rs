//! Token payments: the mints the market accepts (admin), a provider's prices in them, and the list of
//! them with their decimals, state and figures.

use clap::Subcommand;
use compute_market::instructions::AddPaymentMintArgs;
use compute_market::state::{JobStatus, Rates};
use compute_market_client::builders;
use compute_market_client::index_api::{Bucket, StatsRange};
use compute_market_client::JobFilter;
use serde_json::json;
use solana_signer::Signer;

use crate::context::{describe, Context};
use crate::figures::{merged, money};

/// How far back a mint's figures from the index reach.
const ALL_DAYS: i64 = 3_650;

#[derive(Subcommand)]
pub enum MintCommand {
    /// The mints the market accepts: symbol (from the mint table), decimals (read from the mint),
    /// whether new jobs may use it, providers quoting it, jobs on chain in it and the escrow they hold;
    /// with the index API, jobs posted and completed, volume and fees in it over the market's history.
    List,
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
    /// Quote your hourly rates in a mint (its symbol in the mint table, or its address), in its base
    /// units (provider).
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
    if let MintCommand::List = command {
        return list(context);
    }
    let signer = context.signer()?;
    let me = signer.pubkey();
    let token_program = |mint| -> Result<_, String> {
        let account = context.client.rpc().get_account(mint).map_err(|e| format!("reading mint {mint}: {e}"))?;
        Ok(account.owner)
    };
    match command {
        MintCommand::Add { mint, reputation_lamports_per_token, acknowledge_freeze_authority } => {
            let mint = context.mint_key(&mint)?;
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
            let ix = builders::set_payment_mint_enabled(&me, &context.mint_key(&mint)?, true);
            context.send(&signer, &[ix], "set_payment_mint_enabled")
        }
        MintCommand::Disable { mint } => {
            let ix = builders::set_payment_mint_enabled(&me, &context.mint_key(&mint)?, false);
            context.send(&signer, &[ix], "set_payment_mint_enabled")
        }
        MintCommand::Quote { mint, per_core, per_gb_ram, per_gb_storage, per_gpu, update } => {
            let mint = context.mint_key(&mint)?;
            let rates = Rates { per_core, per_gb_ram, per_gb_storage, per_gpu };
            let ix = if update {
                builders::update_mint_quote(&me, &mint, rates)
            } else {
                builders::add_mint_quote(&me, &mint, &token_program(&mint)?, rates)
            };
            context.send(&signer, &[ix], if update { "update_mint_quote" } else { "add_mint_quote" })
        }
        MintCommand::Unquote { mint } => {
            let ix = builders::remove_mint_quote(&me, &context.mint_key(&mint)?);
            context.send(&signer, &[ix], "remove_mint_quote")
        }
        MintCommand::List => list(context),
    }
}

fn list(context: &Context) -> Result<(), String> {
    let client = &context.client;
    let mints = client.list_payment_mints().map_err(|e| describe("listing the market's payment mints", e))?;
    let quotes = client.list_mint_quotes().map_err(|e| describe("listing quotes", e))?;
    let jobs = client.list_jobs(&JobFilter::default()).map_err(|e| describe("listing jobs", e))?;
    let index = context.index_or_note()?;
    let currencies = context.currencies()?;
    let mut rows = Vec::new();
    for record in &mints {
        let facts = client.mint_facts(&record.mint).map_err(|e| describe("reading the mint", e))?;
        let currency = currencies.of(&record.mint);
        let in_mint: Vec<_> = jobs.iter().filter(|(_, j)| j.payment_mint == record.mint).collect();
        let holding = in_mint.iter().filter(|(_, j)| JobStatus::from_stored(j.status).is_ok_and(|s| !s.is_final()));
        let mut amounts = vec![("escrow_held", holding.map(|(_, j)| j.escrow).sum::<u64>())];
        let mut row = json!({
            "mint": record.mint.to_string(),
            "symbol": currency.name,
            "decimals": facts.decimals,
            "token_program": if facts.token_program == compute_market_client::tokens::TOKEN_PROGRAM { "Token" } else { "Token-2022" },
            "enabled": record.enabled,
            "freeze_authority": facts.freeze_authority.map(|a| a.to_string()),
            "reputation_lamports_per_token": record.reputation_lamports_per_token,
            "quotes": quotes.iter().filter(|q| q.mint == record.mint).count(),
            "jobs_on_chain": in_mint.len(),
        });
        if let Some(api) = &index {
            let range = StatsRange::last(ALL_DAYS, Bucket::Day, context.now());
            let stats = api.market_stats(&range, Some(record.mint.to_string().as_str())).map_err(|e| e.to_string())?;
            let totals = stats.totals.iter().find(|t| t.mint == record.mint.to_string());
            row["jobs_posted"] = totals.map_or(0, |t| t.jobs_posted).into();
            row["jobs_completed"] = totals.map_or(0, |t| t.jobs_completed).into();
            amounts.extend([("volume", totals.map_or(0, |t| t.volume)), ("fees", totals.map_or(0, |t| t.fees))]);
        }
        rows.push(merged(row, money(&currency, &amounts)));
    }
    let columns: &[&str] = if index.is_some() {
        &["symbol", "mint", "decimals", "enabled", "quotes", "jobs_on_chain", "escrow_held_units", "jobs_posted", "jobs_completed", "volume_units", "fees_units"]
    } else {
        &["symbol", "mint", "decimals", "enabled", "quotes", "jobs_on_chain", "escrow_held_units"]
    };
    context.output.table(&rows, columns);
    Ok(())
}
