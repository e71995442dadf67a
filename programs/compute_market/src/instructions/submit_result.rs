//! The assigned provider submits the result hash before its deadline plus grace, opening the client's
//! review window. Emits ResultSubmitted.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::ResultSubmitted;
use crate::state::{Job, JobStatus, Provider};

#[derive(Accounts)]
pub struct SubmitResult<'info> {
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ MarketError::WrongProvider)]
    pub provider: AccountLoader<'info, Provider>,
    #[account(
        mut,
        constraint = job.load()?.provider == authority.key() @ MarketError::NotJobProvider,
        constraint = job.load()?.is(JobStatus::Running) @ MarketError::InvalidJobStatus,
    )]
    pub job: AccountLoader<'info, Job>,
}

pub fn handle_submit_result(ctx: Context<SubmitResult>, result_hash: [u8; 32]) -> Result<()> {
    ensure!(result_hash != [0; 32], MarketError::InvalidHash);
    let now = Clock::get()?.unix_timestamp;
    let mut job = ctx.accounts.job.load_mut()?;
    ensure!(now <= job.grace_deadline, MarketError::DeadlinePassed);

    job.result_hash = result_hash;
    job.submitted_at = now;
    job.review_deadline = now
        .checked_add(job.windows.review_window_secs.into())
        .ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    job.set_status(JobStatus::Submitted);
    ctx.accounts.provider.load_mut()?.last_active_at = now;

    emit!(ResultSubmitted {
        job: ctx.accounts.job.key(),
        client: job.client,
        provider: job.provider,
        result_hash,
        review_deadline: job.review_deadline,
        timestamp: now,
    });
    Ok(())
}
