//! Second step of an admin handover: the proposed admin signs to take over. Emits AdminTransferred.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::AdminTransferred;
use crate::state::Market;

#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    pub new_admin: Signer<'info>,
    #[account(
        mut,
        constraint = market.load()?.pending_admin() == Some(new_admin.key()) @ MarketError::NotPendingAdmin,
    )]
    pub market: AccountLoader<'info, Market>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
    let mut market = ctx.accounts.market.load_mut()?;
    let previous_admin = market.admin;
    market.admin = ctx.accounts.new_admin.key();
    market.pending_admin = Pubkey::default();

    emit!(AdminTransferred {
        previous_admin,
        admin: market.admin,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
