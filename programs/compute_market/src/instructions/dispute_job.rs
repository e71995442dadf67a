//! The client disputes a job: a submitted result during its review window, or a running job past its
//! deadline with no result. The escrow waits for the arbiter. Emits JobDisputed.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::JobDisputed;
use crate::settlement::bump_counter;
use crate::state::{Job, JobStatus, Market};

#[derive(Accounts)]
pub struct DisputeJob<'info> {
    pub client: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, Market>,
    #[account(mut, has_one = client @ MarketError::NotJobClient)]
    pub job: AccountLoader<'info, Job>,
}

impl Job {
    /// Whether the client may dispute at `now`.
    pub fn is_disputable(&self, now: i64) -> bool {
        (self.is(JobStatus::Submitted) && now <= self.review_deadline)
            || (self.is(JobStatus::Running) && now > self.run_deadline)
    }
}

pub fn handle_dispute_job(ctx: Context<DisputeJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut market = ctx.accounts.market.load_mut()?;
    let mut job = ctx.accounts.job.load_mut()?;
    require!(job.is_disputable(now), MarketError::NotDisputable);

    let from_status = job.status()?;
    job.disputed_at = now;
    job.dispute_deadline = now
        .checked_add(market.windows.dispute_window_secs.into())
        .ok_or_else(|| error!(MarketError::MathOverflow))?;
    job.set_status(JobStatus::Disputed);
    bump_counter(&mut market.stats.jobs_disputed)?;

    emit!(JobDisputed {
        job: ctx.accounts.job.key(),
        client: job.client,
        provider: job.provider,
        from_status,
        escrow: job.escrow,
        dispute_deadline: job.dispute_deadline,
        timestamp: now,
    });
    Ok(())
}
