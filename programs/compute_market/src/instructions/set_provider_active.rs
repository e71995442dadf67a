//! Opens or closes a provider to new jobs; jobs in flight go on. Signed by its authority. Emits ProviderActivityChanged.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::ProviderActivityChanged;
use crate::state::Provider;

#[derive(Accounts)]
pub struct SetProviderActive<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        has_one = authority @ MarketError::WrongProvider,
        constraint = provider.load()?.retired == 0 @ MarketError::ProviderRetired,
    )]
    pub provider: AccountLoader<'info, Provider>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_set_provider_active(ctx: Context<SetProviderActive>, active: bool) -> Result<()> {
    let mut provider = ctx.accounts.provider.load_mut()?;
    let now = Clock::get()?.unix_timestamp;
    provider.active = active.into();
    provider.last_active_at = now;

    emit!(ProviderActivityChanged {
        provider: ctx.accounts.provider.key(),
        authority: provider.authority,
        active,
        timestamp: now,
    });
    Ok(())
}
