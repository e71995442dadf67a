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
        constraint = job.status.is_final() @ MarketError::JobNotFinal,
        close = client,
    )]
    pub job: Box<Account<'info, Job>>,
}

pub fn handle_close_job(ctx: Context<CloseJob>) -> Result<()> {
    let job = &ctx.accounts.job;
    emit!(JobClosed {
        job: job.key(),
        client: job.client,
        status: job.status,
        rent_returned: job.get_lamports(),
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
