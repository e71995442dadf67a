//! A job's escrow vault: a program-owned account holding its rent plus, for a lamport job, the job's
//! outstanding escrow. For a token job the escrow sits in the vault's associated token account.

use anchor_lang::prelude::*;

/// Seeds `["vault", job]`. For a lamport job its lamports are always rent-exempt minimum + `job.escrow`;
/// for a token job `tokens` holds `job.escrow` base units. It is closed to the client when the job
/// reaches a final state. Zero-copy (64 bytes).
#[account(zero_copy)]
#[derive(Debug)]
pub struct Vault {
    /// The job whose escrow this vault holds.
    pub job: Pubkey,
    /// The vault's token account holding a token job's escrow; the default key for a lamport job.
    pub tokens: Pubkey,
}
