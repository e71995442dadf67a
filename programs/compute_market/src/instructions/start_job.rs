//! The assigned provider starts the job within its start window. Emits JobStarted.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::JobStarted;
use crate::state::{Job, JobStatus, Provider};

#[derive(Accounts)]
pub struct StartJob<'info> {
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ MarketError::WrongProvider)]
    pub provider: AccountLoader<'info, Provider>,
    #[account(
        mut,
        constraint = job.load()?.provider == authority.key() @ MarketError::NotJobProvider,
        constraint = job.load()?.is(JobStatus::Assigned) @ MarketError::InvalidJobStatus,
    )]
    pub job: AccountLoader<'info, Job>,
}

pub fn handle_start_job(ctx: Context<StartJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut job = ctx.accounts.job.load_mut()?;
    ensure!(now <= job.start_deadline, MarketError::StartWindowClosed);
    let grace = i64::from(job.windows.grace_secs);
    job.started_at = now;
    job.run_deadline = now.checked_add(job.duration_secs.into()).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    job.grace_deadline = job.run_deadline.checked_add(grace).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    job.set_status(JobStatus::Running);
    ctx.accounts.provider.load_mut()?.last_active_at = now;

    emit!(JobStarted {
        job: ctx.accounts.job.key(),
        client: job.client,
        provider: job.provider,
        run_deadline: job.run_deadline,
        timestamp: now,
    });
    Ok(())
}
