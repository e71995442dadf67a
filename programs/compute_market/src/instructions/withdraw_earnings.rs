//! Provider: takes the earnings its wallet could not receive when its jobs settled (a payout below the
//! rent-exempt minimum into an empty wallet), now that the wallet can hold them. Emits EarningsWithdrawn.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::EarningsWithdrawn;
use crate::settlement::{can_receive, transfer_from_vault};
use crate::state::Provider;

#[derive(Accounts)]
pub struct WithdrawEarnings<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ MarketError::WrongProvider)]
    pub provider: AccountLoader<'info, Provider>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_withdraw_earnings(ctx: Context<WithdrawEarnings>) -> Result<()> {
    let mut provider = ctx.accounts.provider.load_mut()?;
    let amount = provider.earnings_owed;
    ensure!(amount > 0, MarketError::NothingOwed);
    ensure!(can_receive(&ctx.accounts.authority, amount)?, MarketError::RecipientNotRentExempt);
    transfer_from_vault(&ctx.accounts.provider.to_account_info(), &ctx.accounts.authority, amount)?;
    provider.earnings_owed = 0;

    emit!(EarningsWithdrawn {
        provider: ctx.accounts.provider.key(),
        authority: provider.authority,
        amount,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
