//! Cancels an unassigned job: the whole escrow and both accounts' rent return to the client. Signed by the client. Emits JobCancelled.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::JobCancelled;
use crate::settlement::{bump_counter, refund_whole_escrow};
use crate::state::{ClientProfile, Job, JobStatus, Market, Vault};
use crate::token_escrow::*;

#[derive(Accounts)]
pub struct CancelJob<'info> {
    #[account(mut)]
    pub client: Signer<'info>,
    #[account(mut)]
    pub market: Account<'info, Market>,
    #[account(mut, constraint = client_profile.authority == client.key() @ MarketError::WrongClientProfile)]
    pub client_profile: Account<'info, ClientProfile>,
    #[account(
        mut,
        has_one = client @ MarketError::NotJobClient,
        constraint = job.status == JobStatus::Open @ MarketError::InvalidJobStatus,
        close = client,
    )]
    pub job: Box<Account<'info, Job>>,
    #[account(mut, constraint = vault.job == job.key() @ MarketError::WrongVault, close = client)]
    pub vault: Account<'info, Vault>,
    pub tokens: TokenAccounts<'info>,
}

pub fn handle_cancel_job(ctx: Context<CancelJob>) -> Result<()> {
    let accounts = ctx.accounts;
    let job = &accounts.job;
    let profile = &mut accounts.client_profile;
    refund_whole_escrow(&mut accounts.tokens, job, &accounts.vault, &accounts.client, profile)?;
    bump_counter(&mut profile.jobs_cancelled)?;
    bump_counter(&mut accounts.market.stats.jobs_cancelled)?;

    emit!(JobCancelled {
        job: job.key(),
        client: job.client,
        job_id: job.job_id,
        payment_mint: job.payment_mint,
        refund: job.escrow,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
