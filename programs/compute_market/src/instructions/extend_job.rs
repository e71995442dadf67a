//! The client adds time to an assigned or running job, escrowing the added time at the agreed price.
//! A running job's run and grace deadlines move by the same time; an assigned job runs longer once
//! started. Signed by the client. Emits JobExtended.
//!
//! The added escrow is the difference between the cost of the new and the old duration, so extending
//! in steps never escrows less than the same total duration at once. The provider is still paid by the
//! time it works: one that does not want the longer job submits early and is paid for what it ran.

use anchor_lang::prelude::*;
use crate::cpi;

use crate::constants::MAX_JOB_DURATION_SECS;
use crate::error::MarketError;
use crate::events::JobExtended;
use crate::math::pricing::cost_for;
use crate::state::{Job, JobStatus, Market, Vault};
use crate::token_escrow::*;

#[derive(Accounts)]
pub struct ExtendJob<'info> {
    #[account(mut)]
    pub client: Signer<'info>,
    pub market: AccountLoader<'info, Market>,
    #[account(mut, has_one = client @ MarketError::NotJobClient)]
    pub job: AccountLoader<'info, Job>,
    #[account(mut, constraint = vault.load()?.job == job.key() @ MarketError::WrongVault)]
    pub vault: AccountLoader<'info, Vault>,
    pub system_program: Program<'info, System>,
    /// For a token job: the added escrow comes from `client_tokens` into the vault's token account.
    pub tokens: TokenAccounts<'info>,
}

impl Job {
    /// Lengthens the job by `added_secs` at `now` and returns the escrow the added time needs.
    pub fn extend(&mut self, added_secs: u32, now: i64) -> Result<u64> {
        match self.status()? {
            JobStatus::Assigned => ensure!(now <= self.start_deadline, MarketError::StartWindowClosed),
            JobStatus::Running => ensure!(now < self.run_deadline, MarketError::RunDeadlinePassed),
            _ => return Err(Error::from(MarketError::InvalidJobStatus)),
        }
        let duration = self.duration_secs.checked_add(added_secs).filter(|d| added_secs > 0 && *d <= MAX_JOB_DURATION_SECS);
        let duration = duration.ok_or_else(|| Error::from(MarketError::InvalidExtension))?;
        let cost = |secs: u32| cost_for(self.agreed_price_per_hour, secs.into()).ok_or_else(|| Error::from(MarketError::MathOverflow));
        let added_escrow = cost(duration)?.checked_sub(cost(self.duration_secs)?).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        self.duration_secs = duration;
        self.escrow = self.escrow.checked_add(added_escrow).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        if self.is(JobStatus::Running) {
            let added = i64::from(added_secs);
            self.run_deadline = self.run_deadline.checked_add(added).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
            self.grace_deadline = self.grace_deadline.checked_add(added).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        }
        Ok(added_escrow)
    }
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_extend_job(ctx: Context<ExtendJob>, added_secs: u32) -> Result<()> {
    let accounts = ctx.accounts;
    accounts.market.load()?.require_open_for_business()?;
    let now = Clock::get()?.unix_timestamp;
    let job_key = accounts.job.key();
    let mut job = accounts.job.load_mut()?;
    // The token accounts are checked against the escrow as it stands, before the job grows.
    let tokens = accounts.tokens.escrow(&job, job_key, &accounts.vault, Payees::ClientOnly)?;
    let added_escrow = job.extend(added_secs, now)?;
    match tokens {
        Some(mut tokens) => tokens.deposit(&accounts.client.to_account_info(), added_escrow)?,
        None if added_escrow > 0 => {
            cpi::transfer(&accounts.client, &accounts.vault.to_account_info(), added_escrow, &[])?;
        }
        None => {}
    }

    emit!(JobExtended {
        job: job_key,
        client: job.client,
        provider: job.provider,
        payment_mint: job.payment_mint,
        added_secs,
        duration_secs: job.duration_secs,
        added_escrow,
        escrow: job.escrow,
        run_deadline: job.run_deadline,
        timestamp: now,
    });
    Ok(())
}
