//! Moves the lamport fees a provider's jobs set aside on its account to the market treasury. Anyone may
//! sign (the treasury's operator, a keeper). Refused, moving nothing, while the treasury could not hold
//! the amount (below its rent-exempt minimum): the fees wait, and no job ever does. Emits FeesCollected.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::FeesCollected;
use crate::settlement::{can_receive, transfer_from_vault};
use crate::state::{Market, Provider};

#[derive(Accounts)]
pub struct CollectFees<'info> {
    pub caller: Signer<'info>,
    #[account(has_one = treasury @ MarketError::WrongTreasury)]
    pub market: AccountLoader<'info, Market>,
    #[account(mut)]
    pub provider: AccountLoader<'info, Provider>,
    /// CHECK: the market treasury (`has_one` on market).
    #[account(mut)]
    pub treasury: UncheckedAccount<'info>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_collect_fees(ctx: Context<CollectFees>) -> Result<()> {
    let mut provider = ctx.accounts.provider.load_mut()?;
    let amount = provider.fees_owed;
    ensure!(amount > 0, MarketError::NothingOwed);
    ensure!(can_receive(&ctx.accounts.treasury, amount)?, MarketError::RecipientNotRentExempt);
    transfer_from_vault(&ctx.accounts.provider.to_account_info(), &ctx.accounts.treasury, amount)?;
    provider.fees_owed = 0;

    emit!(FeesCollected {
        provider: ctx.accounts.provider.key(),
        treasury: ctx.accounts.treasury.key(),
        amount,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
