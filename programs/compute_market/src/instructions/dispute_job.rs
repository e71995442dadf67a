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
    pub market: Account<'info, Market>,
    #[account(mut, has_one = client @ MarketError::NotJobClient)]
    pub job: Box<Account<'info, Job>>,
}

impl Job {
    /// Whether the client may dispute at `now`.
    pub fn is_disputable(&self, now: i64) -> bool {
        match self.status {
            JobStatus::Submitted => now <= self.review_deadline,
            JobStatus::Running => now > self.run_deadline,
            _ => false,
        }
    }
}

pub fn handle_dispute_job(ctx: Context<DisputeJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let market = &mut ctx.accounts.market;
    let job = &mut ctx.accounts.job;
    require!(job.is_disputable(now), MarketError::NotDisputable);

    let from_status = job.status;
    job.disputed_at = now;
    job.dispute_deadline = now
        .checked_add(market.windows.dispute_window_secs.into())
        .ok_or_else(|| error!(MarketError::MathOverflow))?;
    job.status = JobStatus::Disputed;
    bump_counter(&mut market.stats.jobs_disputed)?;

    emit!(JobDisputed {
        job: job.key(),
        client: job.client,
        provider: job.provider,
        from_status,
        escrow: job.escrow,
        dispute_deadline: job.dispute_deadline,
        timestamp: now,
    });
    Ok(())
}
