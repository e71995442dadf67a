//! The assigned provider declines a job it has not started: the job is Open again for others, its
//! capacity is free, nobody's record changes, and a bonded job's lock on the provider's bond is released. Its agent declines jobs whose spec does not verify.
//! Emits JobReleased.

use anchor_lang::prelude::*;

use crate::bonds::release_bond;
use crate::error::MarketError;
use crate::events::{JobReleased, ReleaseReason};
use crate::state::{Job, JobStatus, Provider};

#[derive(Accounts)]
pub struct DeclineJob<'info> {
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ MarketError::WrongProvider)]
    pub provider: AccountLoader<'info, Provider>,
    #[account(
        mut,
        constraint = job.load()?.provider == authority.key() @ MarketError::NotJobProvider,
        constraint = job.load()?.is(JobStatus::Assigned) @ MarketError::InvalidJobStatus,
    )]
    pub job: AccountLoader<'info, Job>,
    /// CHECK: the provider's bond in the job's currency; read and written only for a bonded job (`bonds`).
    #[account(mut)]
    pub bond: UncheckedAccount<'info>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_decline_job(ctx: Context<DeclineJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut job = ctx.accounts.job.load_mut()?;
    let mut provider = ctx.accounts.provider.load_mut()?;
    provider.release(&job.requirements)?;
    release_bond(&ctx.accounts.bond, &job)?;
    provider.last_active_at = now;
    let declined_by = job.provider;
    job.reopen();
    emit!(JobReleased::new(ctx.accounts.job.key(), &job, declined_by, ReleaseReason::Declined, now));
    Ok(())
}
