//! Closes a provider with no jobs in flight, returning its rent to the authority. Emits ProviderClosed.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::ProviderClosed;
use crate::state::{Market, Provider};

#[derive(Accounts)]
pub struct CloseProvider<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, Market>,
    #[account(
        mut,
        has_one = authority @ MarketError::WrongProvider,
        constraint = provider.load()?.active_jobs == 0 @ MarketError::ProviderHasActiveJobs,
        close = authority,
    )]
    pub provider: AccountLoader<'info, Provider>,
}

pub fn handle_close_provider(ctx: Context<CloseProvider>) -> Result<()> {
    let mut market = ctx.accounts.market.load_mut()?;
    market.stats.providers = market.stats.providers.checked_sub(1).ok_or_else(|| error!(MarketError::MathOverflow))?;

    let provider = ctx.accounts.provider.load()?;
    emit!(ProviderClosed {
        provider: ctx.accounts.provider.key(),
        authority: provider.authority,
        jobs_completed: provider.jobs_completed,
        total_earned: provider.total_earned,
        rent_returned: ctx.accounts.provider.get_lamports(),
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
