//! The client disputes a submitted result during its review window; the escrow waits for the arbiter,
//! and if nobody rules by the dispute deadline, expire_job settles it by the default split. A running
//! job cannot be disputed: its provider is owed the whole run and grace, after which expire_job refunds
//! a missing result in full. Emits JobDisputed.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::JobDisputed;
use crate::state::{tally, ClientProfile, Job, JobStatus};

#[derive(Accounts)]
pub struct DisputeJob<'info> {
    pub client: Signer<'info>,
    #[account(mut, constraint = client_profile.load()?.authority == client.key() @ MarketError::WrongClientProfile)]
    pub client_profile: AccountLoader<'info, ClientProfile>,
    #[account(mut, has_one = client @ MarketError::NotJobClient)]
    pub job: AccountLoader<'info, Job>,
}

impl Job {
    /// Whether the client may dispute at `now`: a result in review, before its review deadline.
    pub fn is_disputable(&self, now: i64) -> bool {
        self.is(JobStatus::Submitted) && now <= self.review_deadline
    }
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_dispute_job(ctx: Context<DisputeJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut job = ctx.accounts.job.load_mut()?;
    ensure!(job.is_disputable(now), MarketError::NotDisputable);

    let from_status = job.status()?;
    job.disputed_at = now;
    job.dispute_deadline = now
        .checked_add(job.windows.dispute_window_secs.into())
        .ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    job.set_status(JobStatus::Disputed);
    let mut profile = ctx.accounts.client_profile.load_mut()?;
    profile.jobs_disputed = tally(profile.jobs_disputed, 1);

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
