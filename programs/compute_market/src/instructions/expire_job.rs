//! Refunds the whole escrow of a job whose deadline passed: assigned but not started in the start
//! window, running past deadline + grace with no result (both count as a provider failure), or disputed
//! with no ruling by the dispute deadline. Anyone may sign. Emits JobExpired.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::{ExpiryReason, JobExpired};
use crate::math::pricing::Settlement;
use crate::settlement::{bump_counter, refund_whole_escrow};
use crate::state::{ClientProfile, Job, JobStatus, Market, Provider, Vault};
use crate::token_escrow::*;

#[derive(Accounts)]
pub struct ExpireJob<'info> {
    /// Anyone: a keeper, the client, or the provider.
    pub caller: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, Market>,
    #[account(mut, constraint = client_profile.load()?.authority == job.load()?.client @ MarketError::WrongClientProfile)]
    pub client_profile: AccountLoader<'info, ClientProfile>,
    #[account(mut, has_one = client @ MarketError::WrongClient)]
    pub job: AccountLoader<'info, Job>,
    #[account(mut, constraint = vault.load()?.job == job.key() @ MarketError::WrongVault, close = client)]
    pub vault: AccountLoader<'info, Vault>,
    #[account(mut, constraint = provider.load()?.authority == job.load()?.provider @ MarketError::WrongProvider)]
    pub provider: AccountLoader<'info, Provider>,
    /// CHECK: receives the escrow and the vault's rent; must be the job's client (`has_one` on job).
    #[account(mut)]
    pub client: UncheckedAccount<'info>,
    pub tokens: TokenAccounts<'info>,
}

impl Job {
    /// Why the job may be expired at `now`, if it may.
    pub fn expiry_reason(&self, now: i64) -> Option<ExpiryReason> {
        match self.status().ok()? {
            JobStatus::Assigned if now > self.start_deadline => Some(ExpiryReason::NotStarted),
            JobStatus::Running if now > self.grace_deadline => Some(ExpiryReason::NoResult),
            JobStatus::Disputed if now > self.dispute_deadline => Some(ExpiryReason::DisputeUnresolved),
            _ => None,
        }
    }
}

pub fn handle_expire_job(ctx: Context<ExpireJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let accounts = ctx.accounts;
    let mut job = accounts.job.load_mut()?;
    let reason = job.expiry_reason(now).ok_or_else(|| error!(MarketError::NotExpirable))?;
    let refund = job.escrow;
    let mut profile = accounts.client_profile.load_mut()?;
    refund_whole_escrow(&mut accounts.tokens, &job, &accounts.vault, &accounts.client, &mut profile)?;

    let mut provider = accounts.provider.load_mut()?;
    provider.release(&job.requirements)?;
    if reason != ExpiryReason::DisputeUnresolved {
        provider.record_failure()?;
    }
    bump_counter(&mut profile.jobs_expired)?;
    bump_counter(&mut accounts.market.load_mut()?.stats.jobs_expired)?;
    job.settle(JobStatus::Expired, &Settlement::refund_all(refund), now)?;

    emit!(JobExpired {
        job: accounts.job.key(),
        client: job.client,
        provider: job.provider,
        payment_mint: job.payment_mint,
        reason,
        refund,
        provider_reputation: provider.reputation,
        timestamp: now,
    });
    Ok(())
}
