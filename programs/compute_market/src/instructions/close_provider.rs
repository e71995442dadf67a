//! Retires a provider with no jobs in flight: it stops taking jobs, and everything its account holds
//! beyond rent and the treasury's fees (its earnings owed, any gift) goes to its authority. The record
//! stays, so reputation cannot be shed by leaving: registering again reopens it. Emits ProviderClosed.

use anchor_lang::prelude::*;

use crate::rent::current_rent_exempt_minimum;
use crate::error::MarketError;
use crate::events::ProviderClosed;
use crate::settlement::{can_receive, transfer_from_vault};
use crate::state::{space, Provider};

#[derive(Accounts)]
pub struct CloseProvider<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(
        mut,
        has_one = authority @ MarketError::WrongProvider,
        constraint = provider.load()?.active_jobs == 0 @ MarketError::ProviderHasActiveJobs,
        constraint = provider.load()?.retired == 0 @ MarketError::ProviderRetired,
    )]
    pub provider: AccountLoader<'info, Provider>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_close_provider(ctx: Context<CloseProvider>) -> Result<()> {
    let account = ctx.accounts.provider.to_account_info();
    let rent = current_rent_exempt_minimum(space::<Provider>())?;
    let mut provider = ctx.accounts.provider.load_mut()?;
    let kept = rent.checked_add(provider.fees_owed).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    let returned = account.lamports().saturating_sub(kept);
    ensure!(can_receive(&ctx.accounts.authority, returned)?, MarketError::RecipientNotRentExempt);
    transfer_from_vault(&account, &ctx.accounts.authority, returned)?;
    provider.earnings_owed = 0;
    provider.active = 0;
    provider.retired = 1;

    emit!(ProviderClosed {
        provider: ctx.accounts.provider.key(),
        authority: provider.authority,
        jobs_completed: provider.jobs_completed,
        total_earned: provider.total_earned,
        returned,
        reputation: provider.reputation,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
