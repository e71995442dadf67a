//! First step of an admin handover: the admin names a successor. Emits AdminProposed.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::AdminProposed;
use crate::state::Market;

#[derive(Accounts)]
pub struct ProposeAdmin<'info> {
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ MarketError::NotAdmin)]
    pub market: AccountLoader<'info, Market>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
    let mut market = ctx.accounts.market.load_mut()?;
    ensure!(
        new_admin != Pubkey::default() && new_admin != market.admin,
        MarketError::InvalidPendingAdmin
    );
    market.pending_admin = new_admin;

    emit!(AdminProposed {
        admin: market.admin,
        pending_admin: new_admin,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
