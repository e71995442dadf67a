//! Cancels an unassigned job: the whole escrow (with anything else its token vault holds) and both
//! accounts' rent return to the client. Signed by the client. Emits JobCancelled.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::JobCancelled;
use crate::settlement::refund_whole_escrow;
use crate::state::{tally, ClientProfile, Job, JobStatus, Vault};
use crate::token_escrow::*;

#[derive(Accounts)]
pub struct CancelJob<'info> {
    #[account(mut)]
    pub client: Signer<'info>,
    #[account(mut, constraint = client_profile.load()?.authority == client.key() @ MarketError::WrongClientProfile)]
    pub client_profile: AccountLoader<'info, ClientProfile>,
    #[account(
        mut,
        has_one = client @ MarketError::NotJobClient,
        constraint = job.load()?.is(JobStatus::Open) @ MarketError::InvalidJobStatus,
        close = client,
    )]
    pub job: AccountLoader<'info, Job>,
    #[account(mut, constraint = vault.load()?.job == job.key() @ MarketError::WrongVault, close = client)]
    pub vault: AccountLoader<'info, Vault>,
    pub tokens: TokenAccounts<'info>,
}

pub fn handle_cancel_job(ctx: Context<CancelJob>) -> Result<()> {
    let accounts = ctx.accounts;
    let job = accounts.job.load()?;
    let mut profile = accounts.client_profile.load_mut()?;
    let client = accounts.client.to_account_info();
    let surplus = refund_whole_escrow(&accounts.tokens, &job, accounts.job.key(), &accounts.vault, &client, &mut profile)?;
    profile.jobs_cancelled = tally(profile.jobs_cancelled, 1);

    emit!(JobCancelled {
        job: accounts.job.key(),
        client: job.client,
        job_id: job.job_id,
        payment_mint: job.payment_mint,
        refund: job.escrow,
        surplus,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
