//! The admin, as arbiter, splits a disputed job's escrow in basis points between provider and client;
//! the fee applies only to the provider's share. A share below DISPUTE_LOSS_BPS is a dispute the provider
//! lost: a bonded job's slash leaves its bond for the client. The only way the admin can move escrow. Emits DisputeResolved.

use anchor_lang::prelude::*;

use crate::constants::BPS_DENOMINATOR;
use crate::error::MarketError;
use crate::events::DisputeResolved;
use crate::math::pricing::Settlement;
use crate::settlement::*;
use crate::state::{JobStatus, Market};

#[derive(Accounts)]
pub struct ResolveDispute<'info> {
    #[account(constraint = market.load()?.admin == settle.payer.key() @ MarketError::NotAdmin)]
    pub market: AccountLoader<'info, Market>,
    /// Signed by the admin.
    #[account(constraint = settle.job.load()?.is(JobStatus::Disputed) @ MarketError::InvalidJobStatus)]
    pub settle: SettleJob<'info>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_resolve_dispute(ctx: Context<ResolveDispute>, provider_bps: u16) -> Result<()> {
    ensure!(provider_bps <= BPS_DENOMINATOR, MarketError::InvalidSplit);
    let now = Clock::get()?.unix_timestamp;
    let settle = &ctx.accounts.settle;
    let settlement = {
        let job = settle.job.load()?;
        Settlement::for_dispute(job.escrow, provider_bps, job.fee_bps).ok_or_else(|| Error::from(MarketError::InvalidSplit))?
    };
    let treasury = ctx.accounts.market.load()?.treasury;
    let outcome = settle.settle(settlement, Verdict::Ruled { provider_bps }, JobStatus::Resolved, &treasury, now)?;

    let job = settle.job.load()?;
    emit!(DisputeResolved {
        job: settle.job.key(),
        client: job.client,
        provider: job.provider,
        arbiter: settle.payer.key(),
        payment_mint: job.payment_mint,
        provider_bps,
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
