//! Provider: takes the bond withdrawal it requested, once its cool-down has passed: lamports to its
//! wallet, tokens to its token account in the bond's mint (with any lamports sent to a token bond's account
//! beyond its rent). A mint the market has since disabled changes nothing: a bond can always leave. Emits
//! BondWithdrawn.

use anchor_lang::prelude::*;

use crate::bond_vault::*;
use crate::error::MarketError;
use crate::events::BondWithdrawn;
use crate::settlement::{can_receive, transfer_from_vault};
use crate::state::Bond;

#[derive(Accounts)]
pub struct WithdrawBond<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(mut, constraint = bond.load()?.provider == authority.key() @ MarketError::WrongBond)]
    pub bond: AccountLoader<'info, Bond>,
    pub tokens: BondTokens<'info>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_withdraw_bond(ctx: Context<WithdrawBond>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let accounts = ctx.accounts;
    let authority = accounts.authority.key();
    let bond_info = accounts.bond.to_account_info();
    let tokens = accounts.tokens.checked(&authority, false)?;
    let (mint, bump, amount, held) = {
        let mut bond = accounts.bond.load_mut()?;
        ensure!(accounts.tokens.currency() == bond.mint, MarketError::WrongMint);
        let balance = match &tokens {
            Some(tokens) => {
                ensure!(tokens.bond_tokens.key() == bond.tokens, MarketError::WrongBond);
                tokens.balance()?
            }
            None => lamport_balance(&bond_info)?,
        };
        bond.count_balance(balance);
        let amount = bond.take_withdrawal(now)?;
        (bond.mint, bond.bump, amount, bond.held)
    };
    match &tokens {
        Some(tokens) => {
            tokens.withdraw(&bond_info, &bond_seeds(&authority, &mint, &[bump]), amount)?;
            // Lamports anyone sent to a token bond's account beyond its rent are no part of the bond: they go to
            // its provider with the withdrawal (when its wallet can hold them), never stranded there.
            let stray = lamport_balance(&bond_info)?;
            if stray > 0 && can_receive(&accounts.authority, stray)? {
                transfer_from_vault(&bond_info, &accounts.authority, stray)?;
            }
        }
        None => {
            ensure!(can_receive(&accounts.authority, amount)?, MarketError::RecipientNotRentExempt);
            transfer_from_vault(&bond_info, &accounts.authority, amount)?;
        }
    }

    emit!(BondWithdrawn { provider: authority, mint, amount, held, timestamp: now });
    Ok(())
}
