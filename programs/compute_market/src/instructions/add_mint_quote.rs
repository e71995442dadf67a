//! Provider: quotes its per-unit hourly rates in an accepted mint, and gets its associated token
//! account for the mint's payouts (paid by the provider) if it has none. Emits MintQuoteAdded.

use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::{Mint, TokenInterface};

use crate::constants::QUOTE_SEED;
use crate::error::MarketError;
use crate::events::MintQuoteAdded;
use crate::state::{MintQuote, PaymentMint, Provider, Rates};
use crate::token_escrow::create_associated_account;

#[derive(Accounts)]
pub struct AddMintQuote<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(has_one = authority @ MarketError::WrongProvider)]
    pub provider: AccountLoader<'info, Provider>,
    #[account(
        constraint = payment_mint.mint == mint.key() @ MarketError::WrongMint,
        constraint = payment_mint.token_program == token_program.key() @ MarketError::WrongTokenProgram,
    )]
    pub payment_mint: Account<'info, PaymentMint>,
    pub mint: InterfaceAccount<'info, Mint>,
    #[account(
        init,
        payer = authority,
        space = 8 + MintQuote::INIT_SPACE,
        seeds = [QUOTE_SEED, authority.key().as_ref(), mint.key().as_ref()],
        bump,
    )]
    pub quote: Account<'info, MintQuote>,
    /// CHECK: the provider's associated token account for the mint; the associated token program checks the address.
    #[account(mut)]
    pub provider_tokens: UncheckedAccount<'info>,
    pub token_program: Interface<'info, TokenInterface>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

#[cfg_attr(target_os = "solana", optimize(size), inline(never))]
pub fn handle_add_mint_quote(ctx: Context<AddMintQuote>, rates: Rates) -> Result<()> {
    let accounts = ctx.accounts;
    accounts.payment_mint.require_enabled()?;
    accounts.provider.load()?.validate_quote(&rates)?;
    create_associated_account(
        accounts.authority.to_account_info(),
        accounts.authority.to_account_info(),
        accounts.mint.to_account_info(),
        accounts.provider_tokens.to_account_info(),
        accounts.token_program.to_account_info(),
        accounts.system_program.to_account_info(),
    )?;

    let quote = &mut accounts.quote;
    quote.set_inner(MintQuote {
        provider: accounts.authority.key(),
        mint: accounts.mint.key(),
        rates,
        bump: ctx.bumps.quote,
    });

    emit!(MintQuoteAdded {
        quote: quote.key(),
        provider: quote.provider,
        mint: quote.mint,
        rates,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
