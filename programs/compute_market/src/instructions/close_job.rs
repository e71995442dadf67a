//! The client reclaims a final job's rent by closing it. Emits JobClosed.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::JobClosed;
use crate::state::Job;

#[derive(Accounts)]
pub struct CloseJob<'info> {
    #[account(mut)]
    pub client: Signer<'info>,
    #[account(
        mut,
        has_one = client @ MarketError::NotJobClient,
        constraint = job.load()?.status()?.is_final() @ MarketError::JobNotFinal,
        close = client,
    )]
    pub job: AccountLoader<'info, Job>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_close_job(ctx: Context<CloseJob>) -> Result<()> {
    let job = ctx.accounts.job.load()?;
    emit!(JobClosed {
        job: ctx.accounts.job.key(),
        client: job.client,
        status: job.status()?,
        rent_returned: ctx.accounts.job.get_lamports(),
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
