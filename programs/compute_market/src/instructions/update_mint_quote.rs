//! Provider: changes its rates in a mint; jobs already assigned keep their agreed price. Emits MintQuoteUpdated.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::MintQuoteUpdated;
use crate::state::{MintQuote, Provider, Rates};

#[derive(Accounts)]
pub struct UpdateMintQuote<'info> {
    pub authority: Signer<'info>,
    #[account(has_one = authority @ MarketError::WrongProvider)]
    pub provider: AccountLoader<'info, Provider>,
    #[account(mut, constraint = quote.provider == authority.key() @ MarketError::WrongQuote)]
    pub quote: Account<'info, MintQuote>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_update_mint_quote(ctx: Context<UpdateMintQuote>, rates: Rates) -> Result<()> {
    ctx.accounts.provider.load()?.validate_quote(&rates)?;
    let quote = &mut ctx.accounts.quote;
    quote.rates = rates;

    emit!(MintQuoteUpdated {
        quote: quote.key(),
        provider: quote.provider,
        mint: quote.mint,
        rates,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
