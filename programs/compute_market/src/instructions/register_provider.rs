//! Registers the signer as a provider offering capacity at hourly rates. Emits ProviderRegistered.

use anchor_lang::prelude::*;

use crate::constants::PROVIDER_SEED;
use crate::events::ProviderRegistered;
use crate::settlement::bump_counter;
use crate::state::{validate_uri, Market, Provider, Rates, Resources};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct RegisterProviderArgs {
    pub capacity: Resources,
    pub rates: Rates,
    pub metadata_uri: String,
}

#[derive(Accounts)]
pub struct RegisterProvider<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(mut)]
    pub market: Account<'info, Market>,
    #[account(
        init,
        payer = authority,
        space = 8 + Provider::INIT_SPACE,
        seeds = [PROVIDER_SEED, authority.key().as_ref()],
        bump,
    )]
    pub provider: Box<Account<'info, Provider>>,
    pub system_program: Program<'info, System>,
}

pub fn handle_register_provider(ctx: Context<RegisterProvider>, args: RegisterProviderArgs) -> Result<()> {
    let market = &mut ctx.accounts.market;
    market.require_open_for_business()?;
    Provider::validate_offer(&args.capacity, &args.rates)?;
    validate_uri(&args.metadata_uri)?;

    let now = Clock::get()?.unix_timestamp;
    let provider = &mut ctx.accounts.provider;
    provider.set_inner(Provider {
        authority: ctx.accounts.authority.key(),
        active: true,
        capacity: args.capacity,
        free: args.capacity,
        rates: args.rates,
        reputation: 0,
        active_jobs: 0,
        jobs_completed: 0,
        jobs_failed: 0,
        disputes_lost: 0,
        rating_sum: 0,
        rating_count: 0,
        total_earned: 0,
        registered_at: now,
        last_active_at: now,
        bump: ctx.bumps.provider,
        metadata_uri: args.metadata_uri,
    });
    provider.refresh_reputation();
    bump_counter(&mut market.stats.providers)?;

    emit!(ProviderRegistered {
        provider: provider.key(),
        authority: provider.authority,
        capacity: provider.capacity,
        rates: provider.rates,
        metadata_uri: provider.metadata_uri.clone(),
        timestamp: now,
    });
    Ok(())
}
