//! The singleton Market: administration, fee, time windows and market-wide counters.

use anchor_lang::prelude::*;
use bytemuck::{Pod, Zeroable};

use crate::constants::{MAX_FEE_BPS, MAX_SLASH_BPS, MAX_WINDOW_SECS, MIN_WINDOW_SECS};
use crate::error::MarketError;

/// The time windows that bound each job phase, in seconds. A job copies the market's windows when it is
/// posted and keeps them, so later changes never alter jobs in flight.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace, Pod, Zeroable)]
#[repr(C)]
pub struct TimeWindows {
    /// After assignment, how long the provider has to start the job.
    pub start_window_secs: u32,
    /// After a result is submitted, how long the client has to review and dispute.
    pub review_window_secs: u32,
    /// After the run deadline, how long a late result is still accepted.
    pub grace_secs: u32,
    /// After a dispute opens, how long the arbiter has before anyone may settle it by the default split.
    pub dispute_window_secs: u32,
}

impl TimeWindows {
    pub fn validate(&self) -> Result<()> {
        let ok = |w: u32| (MIN_WINDOW_SECS..=MAX_WINDOW_SECS).contains(&w);
        ensure!(
            ok(self.start_window_secs)
                && ok(self.review_window_secs)
                && ok(self.grace_secs)
                && ok(self.dispute_window_secs),
            MarketError::InvalidWindow
        );
        Ok(())
    }
}

/// What the market makes of provider bonds: how long a withdrawal waits after it is requested, and the
/// share of a failed job's minimum bond slashed to its client (a job keeps the share of its posting).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct BondTerms {
    pub cooldown_secs: u32,
    pub slash_bps: u16,
}

impl BondTerms {
    pub fn validate(&self) -> Result<()> {
        ensure!(
            (MIN_WINDOW_SECS..=MAX_WINDOW_SECS).contains(&self.cooldown_secs) && self.slash_bps <= MAX_SLASH_BPS,
            MarketError::InvalidBondTerms
        );
        Ok(())
    }
}

/// Seeds `["market"]`: one per deployment, created by the program's upgrade authority. Zero-copy,
/// `repr(C)` without padding (160 bytes). No instruction on a job's path writes it: market totals come
/// from events and from the per-party accounts (client profiles, providers).
#[account(zero_copy)]
#[derive(Debug)]
pub struct Market {
    /// May update the market, pause it, and arbitrate disputes.
    pub admin: Pubkey,
    /// Receives the platform fee; a rent-exempt System Program account.
    pub treasury: Pubkey,
    /// May assign open jobs to providers automatically; the default key when there is none.
    pub matcher: Pubkey,
    /// Proposed next admin until accepted; the default key when none is proposed.
    pub pending_admin: Pubkey,
    /// The windows a job copies when it is posted.
    pub windows: TimeWindows,
    /// Platform fee in basis points of each payout, at most MAX_FEE_BPS.
    pub fee_bps: u16,
    /// 1 while paused: no registrations, posts or assignments; every way out stays open.
    pub paused: u8,
    pub bump: u8,
    /// How long a requested bond withdrawal waits (`BondTerms`).
    pub bond_cooldown_secs: u32,
    /// Share of a failed job's minimum bond slashed to its client, at most MAX_SLASH_BPS (`BondTerms`).
    pub slash_bps: u16,
    pub _reserved: [u8; 6],
}

impl Market {
    pub fn validate_fee(fee_bps: u16) -> Result<()> {
        ensure!(fee_bps <= MAX_FEE_BPS, MarketError::FeeTooHigh);
        Ok(())
    }

    pub fn bond_terms(&self) -> BondTerms {
        BondTerms { cooldown_secs: self.bond_cooldown_secs, slash_bps: self.slash_bps }
    }

    pub fn set_bond_terms(&mut self, terms: &BondTerms) {
        self.bond_cooldown_secs = terms.cooldown_secs;
        self.slash_bps = terms.slash_bps;
    }

    pub fn require_open_for_business(&self) -> Result<()> {
        ensure!(!self.is_paused(), MarketError::MarketPaused);
        Ok(())
    }

    pub fn is_paused(&self) -> bool {
        self.paused != 0
    }

    /// Whether `key` may assign jobs as the market's automated matcher.
    pub fn is_matcher(&self, key: &Pubkey) -> bool {
        self.matcher() == Some(*key)
    }

    pub fn matcher(&self) -> Option<Pubkey> {
        optional_key(self.matcher)
    }

    pub fn pending_admin(&self) -> Option<Pubkey> {
        optional_key(self.pending_admin)
    }
}

/// A stored key where the default key means "none".
pub fn optional_key(key: Pubkey) -> Option<Pubkey> {
    (key != Pubkey::default()).then_some(key)
}

/// Checks that a treasury is a rent-exempt System Program account. Fees reach it only through
/// `collect_fees`, so a treasury emptied later delays its own fees and never a job.
pub fn validate_treasury(treasury: &AccountInfo) -> Result<()> {
    ensure!(treasury.owner == &anchor_lang::system_program::ID, MarketError::InvalidTreasury);
    let rent_exempt = crate::rent::current_rent_exempt_minimum(treasury.data_len())?;
    ensure!(treasury.lamports() >= rent_exempt, MarketError::InvalidTreasury);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_bounded() {
        let w = TimeWindows {
            start_window_secs: MIN_WINDOW_SECS,
            review_window_secs: MAX_WINDOW_SECS,
            grace_secs: 600,
            dispute_window_secs: 86_400,
        };
        assert!(w.validate().is_ok());
        assert!(TimeWindows { start_window_secs: MIN_WINDOW_SECS - 1, ..w }.validate().is_err());
        assert!(TimeWindows { dispute_window_secs: MAX_WINDOW_SECS + 1, ..w }.validate().is_err());
    }

    #[test]
    fn bond_terms_are_bounded() {
        let terms = BondTerms { cooldown_secs: MIN_WINDOW_SECS, slash_bps: MAX_SLASH_BPS };
        assert!(terms.validate().is_ok());
        assert!(BondTerms { cooldown_secs: MAX_WINDOW_SECS, slash_bps: 0 }.validate().is_ok());
        assert!(BondTerms { slash_bps: MAX_SLASH_BPS + 1, ..terms }.validate().is_err());
        assert!(BondTerms { cooldown_secs: MIN_WINDOW_SECS - 1, ..terms }.validate().is_err());
        assert!(BondTerms { cooldown_secs: MAX_WINDOW_SECS + 1, ..terms }.validate().is_err());
    }

    #[test]
    fn fee_is_capped() {
        assert!(Market::validate_fee(MAX_FEE_BPS).is_ok());
        assert!(Market::validate_fee(MAX_FEE_BPS + 1).is_err());
    }
}
