//! Ends a job whose deadline passed. Anyone may sign. Emits JobExpired.
//!
//! - Assigned but not started within its start window, or running past its deadline and grace with no
//!   result: the whole escrow returns to the client, and the provider, who agreed to the job, has failed
//!   it: a bonded job's slash leaves the provider's bond for the client (`bonds::slash_bond`).
//! - Disputed with no ruling by its dispute deadline: the default split settles it (see
//!   `Job::default_dispute_settlement`), fair to both sides, and neither side's record changes.

use anchor_lang::prelude::*;

use crate::bonds::slash_bond;
use crate::error::MarketError;
use crate::events::{ExpiryReason, JobExpired};
use crate::math::pricing::Settlement;
use crate::settlement::*;
use crate::state::{tally, Job, JobStatus, Market};

#[derive(Accounts)]
pub struct ExpireJob<'info> {
    pub market: AccountLoader<'info, Market>,
    /// Signed by anyone: a keeper, the client, or the provider.
    pub settle: SettleJob<'info>,
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

impl<'info> SettleJob<'info> {
    /// Refunds the whole escrow of a job its provider failed, counting the failure.
    fn refund_failed_job(&self, now: i64) -> Result<Outcome> {
        let mut job = self.job.load_mut()?;
        self.verify_pair(&job)?;
        let escrow = job.escrow;
        let mut profile = self.client_profile.load_mut()?;
        let surplus = refund_whole_escrow(&self.tokens, &job, self.job.key(), &self.vault, &self.client, &mut profile)?;
        profile.jobs_expired = tally(profile.jobs_expired, 1);
        let value = self.escrow_value(&job)?;
        let mut provider = self.provider.load_mut()?;
        provider.release(&job.requirements)?;
        provider.record_failure(value);
        let bond_slashed = slash_bond(&self.bond, &job, &self.tokens, &self.client)?;
        let settlement = Settlement::refund_all(escrow);
        job.settle(JobStatus::Expired, &settlement, now)?;
        Ok(Outcome { settlement, surplus, earnings_held: 0, provider_reputation: provider.reputation, bond_slashed })
    }
}

pub fn handle_expire_job(ctx: Context<ExpireJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let settle = &ctx.accounts.settle;
    let reason = settle.job.load()?.expiry_reason(now).ok_or_else(|| Error::from(MarketError::NotExpirable))?;
    let outcome = match reason {
        ExpiryReason::DisputeUnresolved => {
            let settlement = settle.job.load()?.default_dispute_settlement()?;
            let treasury = ctx.accounts.market.load()?.treasury;
            let outcome = settle.settle(settlement, Verdict::Unruled, JobStatus::Expired, &treasury, now)?;
            let mut profile = settle.client_profile.load_mut()?;
            profile.jobs_expired = tally(profile.jobs_expired, 1);
            outcome
        }
        ExpiryReason::NotStarted | ExpiryReason::NoResult => settle.refund_failed_job(now)?,
    };

    let job = settle.job.load()?;
    emit!(JobExpired {
        job: settle.job.key(),
        client: job.client,
        provider: job.provider,
        payment_mint: job.payment_mint,
        reason,
        provider_payout: outcome.settlement.provider,
        provider_payout_held: outcome.earnings_held,
        fee: outcome.settlement.fee,
        refund: outcome.settlement.refund,
        surplus: outcome.surplus,
        provider_reputation: outcome.provider_reputation,
        bond_slashed: outcome.bond_slashed,
        timestamp: now,
    });
    Ok(())
}
