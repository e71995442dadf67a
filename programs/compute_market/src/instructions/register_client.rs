//! Creates the signer's client profile; clients bundle it into their first post_job transaction. Emits ClientRegistered.

use anchor_lang::prelude::*;

use crate::constants::CLIENT_SEED;
use crate::events::ClientRegistered;
use crate::state::{space, ClientProfile, Market};

#[derive(Accounts)]
pub struct RegisterClient<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    pub market: AccountLoader<'info, Market>,
    #[account(
        init,
        payer = authority,
        space = space::<ClientProfile>(),
        seeds = [CLIENT_SEED, authority.key().as_ref()],
        bump,
    )]
    pub client_profile: AccountLoader<'info, ClientProfile>,
    pub system_program: Program<'info, System>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_register_client(ctx: Context<RegisterClient>) -> Result<()> {
    ctx.accounts.market.load()?.require_open_for_business()?;

    let now = Clock::get()?.unix_timestamp;
    let mut profile = ctx.accounts.client_profile.load_init()?;
    profile.authority = ctx.accounts.authority.key();
    profile.registered_at = now;
    profile.bump = ctx.bumps.client_profile;

    emit!(ClientRegistered {
        client_profile: ctx.accounts.client_profile.key(),
        authority: profile.authority,
        timestamp: now,
    });
    Ok(())
}
