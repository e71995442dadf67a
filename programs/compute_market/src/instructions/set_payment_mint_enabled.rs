//! Admin: opens or closes a payment mint to new jobs and quotes; jobs already posted in it settle as
//! usual. Emits PaymentMintUpdated.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::PaymentMintUpdated;
use crate::state::{Market, PaymentMint};

#[derive(Accounts)]
pub struct SetPaymentMintEnabled<'info> {
    pub admin: Signer<'info>,
    #[account(has_one = admin @ MarketError::NotAdmin)]
    pub market: AccountLoader<'info, Market>,
    #[account(mut)]
    pub payment_mint: Account<'info, PaymentMint>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_set_payment_mint_enabled(ctx: Context<SetPaymentMintEnabled>, enabled: bool) -> Result<()> {
    let payment_mint = &mut ctx.accounts.payment_mint;
    payment_mint.enabled = enabled;

    emit!(PaymentMintUpdated {
        payment_mint: payment_mint.key(),
        mint: payment_mint.mint,
        enabled,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
