//! A job's escrow vault: a program-owned account holding its rent plus the job's outstanding escrow.

use anchor_lang::prelude::*;

/// Seeds `["vault", job]`. Its lamports are always rent-exempt minimum + `job.escrow`; it is closed
/// to the client when the job reaches a final state.
#[account]
#[derive(InitSpace)]
pub struct Vault {
    /// The job whose escrow this vault holds.
    pub job: Pubkey,
}
