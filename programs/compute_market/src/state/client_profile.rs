//! A client's profile: job numbering and spending history.

use anchor_lang::prelude::*;

/// Seeds `["client", authority]`. Zero-copy, `repr(C)` without padding (120 bytes). Summed over all
/// clients, its lamport figures are the market's totals. Counters saturate: no statistic fails a transfer.
#[account(zero_copy)]
#[derive(Debug)]
pub struct ClientProfile {
    pub authority: Pubkey,
    /// Id of the client's next job; part of the job PDA's seeds.
    pub next_job_id: u64,
    pub jobs_posted: u64,
    pub jobs_completed: u64,
    pub jobs_cancelled: u64,
    pub jobs_expired: u64,
    pub jobs_disputed: u64,
    /// Lamports paid for work (provider share plus fee).
    pub total_spent: u64,
    /// Lamports of `total_spent` that were the platform's fee.
    pub fees_paid: u64,
    /// Escrowed lamports returned to the client (excess at assignment, remainder, cancellations,
    /// expiries and dispute awards).
    pub total_refunded: u64,
    pub registered_at: i64,
    pub bump: u8,
    pub _reserved: [u8; 7],
}
