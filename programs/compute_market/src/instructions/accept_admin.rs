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
        constraint = market.pending_admin == Some(new_admin.key()) @ MarketError::NotPendingAdmin,
    )]
    pub market: Account<'info, Market>,
}

pub fn handle_accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
    let market = &mut ctx.accounts.market;
    let previous_admin = market.admin;
    market.admin = ctx.accounts.new_admin.key();
    market.pending_admin = None;

    emit!(AdminTransferred {
        previous_admin,
        admin: market.admin,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
