//! Registers the signer as a provider offering capacity at hourly rates. Emits ProviderRegistered.

use anchor_lang::prelude::*;

use crate::constants::PROVIDER_SEED;
use crate::events::ProviderRegistered;
use crate::settlement::bump_counter;
use crate::state::{space, Market, Provider, Rates, Resources, StoredUri};

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
    pub market: AccountLoader<'info, Market>,
    #[account(
        init,
        payer = authority,
        space = space::<Provider>(),
        seeds = [PROVIDER_SEED, authority.key().as_ref()],
        bump,
    )]
    pub provider: AccountLoader<'info, Provider>,
    pub system_program: Program<'info, System>,
}

pub fn handle_register_provider(ctx: Context<RegisterProvider>, args: RegisterProviderArgs) -> Result<()> {
    let mut market = ctx.accounts.market.load_mut()?;
    market.require_open_for_business()?;
    Provider::validate_offer(&args.capacity, &args.rates)?;
    let metadata_uri = StoredUri::new(&args.metadata_uri)?;

    let now = Clock::get()?.unix_timestamp;
    let mut provider = ctx.accounts.provider.load_init()?;
    provider.authority = ctx.accounts.authority.key();
    provider.active = 1;
    provider.capacity = args.capacity;
    provider.free = args.capacity;
    provider.rates = args.rates;
    provider.registered_at = now;
    provider.last_active_at = now;
    provider.bump = ctx.bumps.provider;
    provider.metadata_uri = metadata_uri;
    provider.refresh_reputation();
    bump_counter(&mut market.stats.providers)?;

    emit!(ProviderRegistered {
        provider: ctx.accounts.provider.key(),
        authority: provider.authority,
        capacity: provider.capacity,
        rates: provider.rates,
        metadata_uri: args.metadata_uri,
        timestamp: now,
    });
    Ok(())
}
