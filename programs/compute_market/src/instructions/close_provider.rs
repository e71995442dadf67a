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
    pub market: Account<'info, Market>,
    #[account(
        mut,
        has_one = authority @ MarketError::WrongProvider,
        constraint = provider.active_jobs == 0 @ MarketError::ProviderHasActiveJobs,
        close = authority,
    )]
    pub provider: Box<Account<'info, Provider>>,
}

pub fn handle_close_provider(ctx: Context<CloseProvider>) -> Result<()> {
    let market = &mut ctx.accounts.market;
    market.stats.providers = market.stats.providers.checked_sub(1).ok_or_else(|| error!(MarketError::MathOverflow))?;

    let provider = &ctx.accounts.provider;
    emit!(ProviderClosed {
        provider: provider.key(),
        authority: provider.authority,
        jobs_completed: provider.jobs_completed,
        total_earned: provider.total_earned,
        rent_returned: provider.get_lamports(),
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
