//! Provider: asks to withdraw part of its bond that no job in flight locks. The amount stops backing new
//! jobs at once and may be taken after the market's cool-down (`withdraw_bond`). A new request replaces
//! the last and starts the cool-down again; zero withdraws the request. Emits BondWithdrawalRequested.

use anchor_lang::prelude::*;

use crate::bond_vault::lamport_balance;
use crate::error::MarketError;
use crate::events::BondWithdrawalRequested;
use crate::state::{Bond, Market};

#[derive(Accounts)]
pub struct RequestBondWithdrawal<'info> {
    pub authority: Signer<'info>,
    pub market: AccountLoader<'info, Market>,
    #[account(mut, constraint = bond.load()?.provider == authority.key() @ MarketError::WrongBond)]
    pub bond: AccountLoader<'info, Bond>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_request_bond_withdrawal(ctx: Context<RequestBondWithdrawal>, amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let cooldown = ctx.accounts.market.load()?.bond_cooldown_secs;
    let withdraw_at = now.checked_add(cooldown.into()).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    let balance = lamport_balance(&ctx.accounts.bond.to_account_info())?;
    let mut bond = ctx.accounts.bond.load_mut()?;
    if bond.is_lamports() {
        bond.count_balance(balance);
    }
    bond.request_withdrawal(amount, withdraw_at)?;

    emit!(BondWithdrawalRequested { provider: bond.provider, mint: bond.mint, amount, withdraw_at: bond.withdraw_at, timestamp: now });
    Ok(())
}
