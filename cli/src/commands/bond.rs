//! Provider bonds: put value at risk in lamports or an accepted mint (a job may require a minimum, a share
//! of which is slashed to its client if you fail it), ask to withdraw what no job in flight locks, take it
//! after the market's cool-down; show and list bonds.

use anchor_lang::prelude::Pubkey;
use clap::Subcommand;
use compute_market::state::Bond;
use compute_market_client::amounts::Currency;
use compute_market_client::builders::{self, Pay};
use compute_market_client::{pda, ClientError};
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::context::{describe, parse_key, Context};
use crate::views;

#[derive(Subcommand)]
pub enum BondCommand {
    /// Add to your bond in a currency (created at the first deposit): e.g. `deposit 2` for 2 SOL, or
    /// `deposit 100 --mint USDC`. Only mints the market accepts for new jobs.
    Deposit {
        amount: String,
        /// SOL (the default), a symbol of the mint table or a mint address.
        #[arg(long, default_value = "SOL")]
        mint: String,
    },
    /// Ask to withdraw part of your bond that no job in flight locks; it stops backing new jobs at once
    /// and can be taken after the market's cool-down. A new request replaces the last one.
    RequestWithdrawal {
        /// The amount, or `all` for everything no job locks now.
        amount: String,
        #[arg(long, default_value = "SOL")]
        mint: String,
    },
    /// Withdraw your pending request: the amount backs new jobs again.
    CancelWithdrawal {
        #[arg(long, default_value = "SOL")]
        mint: String,
    },
    /// Take the withdrawal you requested, once its cool-down is over.
    Withdraw {
        #[arg(long, default_value = "SOL")]
        mint: String,
    },
    /// A provider's bonds in every currency (the signer's by default).
    Show { authority: Option<String> },
    /// Every provider's bonds, largest free amount first.
    List,
}

pub fn run(context: &Context, command: BondCommand) -> Result<(), String> {
    match command {
        BondCommand::Deposit { amount, mint } => {
            let signer = context.signer()?;
            let (pay, currency) = context.payment(&mint)?;
            let amount = positive(currency.parse(&amount)?, &currency)?;
            context.send(&signer, &[builders::deposit_bond(&signer.pubkey(), &pay, amount)], "deposit_bond")
        }
        BondCommand::RequestWithdrawal { amount, mint } => {
            let (signer, pay, currency, bond) = own_bond(context, &mint)?;
            let amount = if amount.eq_ignore_ascii_case("all") { bond.unlocked() } else { currency.parse(&amount)? };
            let amount = positive(amount, &currency)?;
            if amount > bond.unlocked() {
                return Err(format!(
                    "jobs in flight lock {} of your {} bond: at most {} can be withdrawn now",
                    currency.format(bond.locked),
                    currency.name,
                    currency.format(bond.unlocked())
                ));
            }
            let ix = builders::request_bond_withdrawal(&signer.pubkey(), &pay.mint(), amount);
            context.send(&signer, &[ix], "request_bond_withdrawal")
        }
        BondCommand::CancelWithdrawal { mint } => {
            let (signer, pay, currency, bond) = own_bond(context, &mint)?;
            if bond.pending == 0 {
                return Err(format!("no withdrawal of your {} bond is pending", currency.name));
            }
            let ix = builders::request_bond_withdrawal(&signer.pubkey(), &pay.mint(), 0);
            context.send(&signer, &[ix], "request_bond_withdrawal")
        }
        BondCommand::Withdraw { mint } => {
            let (signer, pay, currency, bond) = own_bond(context, &mint)?;
            if bond.pending == 0 {
                return Err(format!("no withdrawal of your {} bond is pending: request one first (`cmkt bond request-withdrawal`)", currency.name));
            }
            let now = context.now();
            if now < bond.withdraw_at {
                return Err(format!(
                    "the withdrawal of {} cools down until {} (chain time), {} s from now",
                    currency.format(bond.pending),
                    bond.withdraw_at,
                    bond.withdraw_at - now
                ));
            }
            context.send(&signer, &[builders::withdraw_bond(&signer.pubkey(), &pay)], "withdraw_bond")
        }
        BondCommand::Show { authority } => {
            let authority = match authority {
                Some(text) => parse_key(&text, "provider authority")?,
                None => context.me()?,
            };
            let rows = bond_rows(context, Some(&authority))?;
            if rows.is_empty() {
                return Err(format!("provider {authority} has no bond"));
            }
            context.output.table(&rows, COLUMNS);
            Ok(())
        }
        BondCommand::List => {
            let rows = bond_rows(context, None)?;
            context.output.table(&rows, COLUMNS);
            Ok(())
        }
    }
}

const COLUMNS: &[&str] = &[
    "provider",
    "currency",
    "held_lamports|held_units",
    "locked_lamports|locked_units",
    "pending_lamports|pending_units",
    "free_lamports|free_units",
    "withdraw_at",
    "slashed_lamports|slashed_units",
];

/// `provider`'s bonds (or everyone's), as records, the largest free amount first.
fn bond_rows(context: &Context, provider: Option<&Pubkey>) -> Result<Vec<serde_json::Value>, String> {
    let mut bonds = match provider {
        Some(authority) => context.client.bonds_of(authority),
        None => context.client.list_bonds(),
    }
    .map_err(|e| describe("listing bonds", e))?;
    bonds.sort_by_key(|(address, bond)| (std::cmp::Reverse(bond.free()), *address));
    let currencies = context.currencies()?;
    Ok(bonds.iter().map(|(address, bond)| views::bond(address, bond, &currencies.of(&bond.mint))).collect())
}

/// The currency of a bond already held: SOL, or a mint the market accepts or accepted (a bond in a mint
/// the market disabled can still be withdrawn).
fn bond_currency(context: &Context, text: &str) -> Result<(Pay, Currency), String> {
    if text.eq_ignore_ascii_case("SOL") {
        return Ok((Pay::Lamports, Currency::sol()));
    }
    let mint = context.mint_key(text)?;
    let record = match context.client.payment_mint(&mint) {
        Ok(record) => record,
        Err(ClientError::NotFound { .. }) => return Err(format!("the market never accepted {text} (mint {mint}): no bond can be held in it")),
        Err(other) => return Err(describe("reading the payment mint", other)),
    };
    Ok((Pay::Token { mint, token_program: record.token_program }, context.mints.currency(&mint, record.decimals)))
}

/// The signer, the bond's currency (`bond_currency`) and the signer's bond in it, refused in words when there
/// is none.
fn own_bond(context: &Context, mint: &str) -> Result<(Keypair, Pay, Currency, Bond), String> {
    let signer = context.signer()?;
    let (pay, currency) = bond_currency(context, mint)?;
    let me = signer.pubkey();
    match context.client.bond(&me, &pay.mint()) {
        Ok(bond) => Ok((signer, pay, currency, bond)),
        Err(ClientError::NotFound { .. }) => Err(format!(
            "you hold no bond in {} ({}): `cmkt bond deposit` creates it",
            currency.name,
            pda::bond(&me, &pay.mint())
        )),
        Err(other) => Err(describe("reading your bond", other)),
    }
}

/// Refuses a zero amount, as the program does.
fn positive(amount: u64, currency: &Currency) -> Result<u64, String> {
    if amount == 0 {
        return Err(format!("the amount must be more than 0 {}", currency.name));
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_amount_is_refused_in_its_currency() {
        assert_eq!(positive(0, &Currency::sol()), Err("the amount must be more than 0 SOL".into()));
        assert_eq!(positive(7, &Currency::sol()), Ok(7));
    }
}
