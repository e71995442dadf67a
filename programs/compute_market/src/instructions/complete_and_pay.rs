//! The client accepts a submitted result, optionally rating it 1-5: the provider is paid for the time
//! worked, the fee is set aside for the treasury, the rest of the escrow and the vault's rent return to
//! the client. Emits JobCompleted.

use anchor_lang::prelude::*;

use crate::constants::{MAX_RATING, MIN_RATING};
use crate::error::MarketError;
use crate::events::JobCompleted;
use crate::settlement::*;
use crate::state::{JobStatus, Market};

#[derive(Accounts)]
pub struct CompleteAndPay<'info> {
    pub market: AccountLoader<'info, Market>,
    #[account(
        constraint = settle.payer.key() == settle.job.load()?.client @ MarketError::NotJobClient,
        constraint = settle.job.load()?.is(JobStatus::Submitted) @ MarketError::InvalidJobStatus,
    )]
    pub settle: SettleJob<'info>,
}

pub fn handle_complete_and_pay(ctx: Context<CompleteAndPay>, rating: Option<u8>) -> Result<()> {
    if let Some(stars) = rating {
        ensure!((MIN_RATING..=MAX_RATING).contains(&stars), MarketError::InvalidRating);
    }
    let now = Clock::get()?.unix_timestamp;
    let settle = &ctx.accounts.settle;
    let treasury = ctx.accounts.market.load()?.treasury;
    let settlement = settle.job.load()?.work_settlement()?;
    let outcome = settle.settle(settlement, Verdict::Completed(rating), JobStatus::Completed, &treasury, now)?;
    emit!(JobCompleted::new(&settle.job.key(), &*settle.job.load()?, &outcome, rating, false, now));
    Ok(())
}
