//! A provider's hourly rates in a token the market accepts.

use anchor_lang::prelude::*;

use crate::state::Rates;

/// Seeds `["quote", provider authority, mint]`: the provider's per-unit hourly rates in `mint`'s
/// base units. A token job can be assigned only to a provider with a quote in its mint.
#[account]
#[derive(InitSpace)]
pub struct MintQuote {
    /// The provider's authority.
    pub provider: Pubkey,
    pub mint: Pubkey,
    pub rates: Rates,
    pub bump: u8,
}
