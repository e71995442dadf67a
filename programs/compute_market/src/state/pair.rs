//! The record of a provider and a client that paid it for counted work: what makes distinct
//! counterparties countable, so that reputation is weighed by how many clients vouch for a provider.

use anchor_lang::prelude::*;

/// Seeds `["pair", provider authority, client]`: created at the first counted work between them (paid
/// by whoever settles it) and never closed. Zero-copy, `repr(C)` without padding (88 bytes).
#[account(zero_copy)]
#[derive(Debug)]
pub struct Pair {
    /// The provider's authority.
    pub provider: Pubkey,
    pub client: Pubkey,
    /// Counted jobs between them.
    pub jobs: u64,
    /// Reputation units of value those jobs carried.
    pub units: u64,
    pub first_at: i64,
}
