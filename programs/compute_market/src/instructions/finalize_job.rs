//! Releases payment for a submitted job whose review window passed without a dispute, exactly as
//! complete_and_pay but without a rating. Anyone may sign. Emits JobCompleted.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::JobCompleted;
use crate::settlement::*;
use crate::state::{JobStatus, Market};

#[derive(Accounts)]
pub struct FinalizeJob<'info> {
    pub market: AccountLoader<'info, Market>,
    /// Signed by anyone: the provider, a keeper, or the client.
    #[account(constraint = settle.job.load()?.is(JobStatus::Submitted) @ MarketError::InvalidJobStatus)]
    pub settle: SettleJob<'info>,
}

pub fn handle_finalize_job(ctx: Context<FinalizeJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let settle = &ctx.accounts.settle;
    let settlement = {
        let job = settle.job.load()?;
        ensure!(now > job.review_deadline, MarketError::ReviewWindowOpen);
        job.work_settlement()?
    };
    let treasury = ctx.accounts.market.load()?.treasury;
    let outcome = settle.settle(settlement, Verdict::Completed(None), JobStatus::Completed, &treasury, now)?;
    emit!(JobCompleted::new(&settle.job.key(), &*settle.job.load()?, &outcome, None, true, now));
    Ok(())
}
