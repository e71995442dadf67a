//! The client takes back an assigned job its provider has not started within TAKE_BACK_AFTER_SECS of
//! assignment (however long the start window): the job is Open again, to cancel or reassign, the
//! provider's capacity is free, nobody's record changes, and a bonded job's lock on the provider's bond is released. Emits JobReleased.

use anchor_lang::prelude::*;

use crate::constants::TAKE_BACK_AFTER_SECS;
use crate::bonds::release_bond;
use crate::error::MarketError;
use crate::events::{JobReleased, ReleaseReason};
use crate::state::{Job, JobStatus, Provider};

#[derive(Accounts)]
pub struct TakeBackJob<'info> {
    pub client: Signer<'info>,
    #[account(
        mut,
        has_one = client @ MarketError::NotJobClient,
        constraint = job.load()?.is(JobStatus::Assigned) @ MarketError::InvalidJobStatus,
    )]
    pub job: AccountLoader<'info, Job>,
    #[account(mut, constraint = provider.load()?.authority == job.load()?.provider @ MarketError::WrongProvider)]
    pub provider: AccountLoader<'info, Provider>,
    /// CHECK: the provider's bond in the job's currency; read and written only for a bonded job (`bonds`).
    #[account(mut)]
    pub bond: UncheckedAccount<'info>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_take_back_job(ctx: Context<TakeBackJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut job = ctx.accounts.job.load_mut()?;
    let allowed_at = job.assigned_at.checked_add(TAKE_BACK_AFTER_SECS.into()).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
    ensure!(now >= allowed_at, MarketError::TakeBackTooEarly);
    ctx.accounts.provider.load_mut()?.release(&job.requirements)?;
    release_bond(&ctx.accounts.bond, &job)?;
    let provider = job.provider;
    job.reopen();
    emit!(JobReleased::new(ctx.accounts.job.key(), &job, provider, ReleaseReason::TakenBack, now));
    Ok(())
}
