//! Creates the signer's client profile; clients bundle it into their first post_job transaction. Emits ClientRegistered.

use anchor_lang::prelude::*;

use crate::constants::CLIENT_SEED;
use crate::events::ClientRegistered;
use crate::settlement::bump_counter;
use crate::state::{ClientProfile, Market};

#[derive(Accounts)]
pub struct RegisterClient<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(mut)]
    pub market: Account<'info, Market>,
    #[account(
        init,
        payer = authority,
        space = 8 + ClientProfile::INIT_SPACE,
        seeds = [CLIENT_SEED, authority.key().as_ref()],
        bump,
    )]
    pub client_profile: Account<'info, ClientProfile>,
    pub system_program: Program<'info, System>,
}

pub fn handle_register_client(ctx: Context<RegisterClient>) -> Result<()> {
    let market = &mut ctx.accounts.market;
    market.require_open_for_business()?;
    bump_counter(&mut market.stats.clients)?;

    let now = Clock::get()?.unix_timestamp;
    let profile = &mut ctx.accounts.client_profile;
    profile.set_inner(ClientProfile {
        authority: ctx.accounts.authority.key(),
        next_job_id: 0,
        jobs_posted: 0,
        jobs_completed: 0,
        jobs_cancelled: 0,
        jobs_expired: 0,
        total_spent: 0,
        total_refunded: 0,
        registered_at: now,
        bump: ctx.bumps.client_profile,
    });

    emit!(ClientRegistered { client_profile: profile.key(), authority: profile.authority, timestamp: now });
    Ok(())
}
