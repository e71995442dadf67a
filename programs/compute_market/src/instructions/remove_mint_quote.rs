//! Provider: withdraws its quote in a mint, its rent back; jobs already assigned are unaffected. Emits MintQuoteRemoved.

use anchor_lang::prelude::*;

use crate::error::MarketError;
use crate::events::MintQuoteRemoved;
use crate::state::MintQuote;

#[derive(Accounts)]
pub struct RemoveMintQuote<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(mut, constraint = quote.provider == authority.key() @ MarketError::WrongQuote, close = authority)]
    pub quote: Account<'info, MintQuote>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_remove_mint_quote(ctx: Context<RemoveMintQuote>) -> Result<()> {
    let quote = &ctx.accounts.quote;
    emit!(MintQuoteRemoved {
        quote: quote.key(),
        provider: quote.provider,
        mint: quote.mint,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
