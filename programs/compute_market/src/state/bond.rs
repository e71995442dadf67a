//! A provider's bond in one currency: value it puts at risk of being slashed when it fails a job.

use anchor_lang::prelude::*;

use crate::constants::BPS_DENOMINATOR;
use crate::error::MarketError;

/// Seeds `["bond", provider authority, mint]`, the default key as the mint of a lamport bond. Zero-copy,
/// `repr(C)` without padding (144 bytes). A lamport bond holds its rent plus `held`; a token bond's
/// tokens sit in its associated token account (`tokens`). Created at the provider's first deposit in
/// that currency and never closed.
///
/// Always `locked + pending <= held`: a job locks its `min_bond` only from what is free, a withdrawal is
/// requested only from what is not locked, and a slash takes at most the lock it ends.
#[account(zero_copy)]
#[derive(Debug)]
pub struct Bond {
    /// The provider's authority.
    pub provider: Pubkey,
    /// The bond's currency: the default key for lamports.
    pub mint: Pubkey,
    /// The bond's associated token account; the default key for a lamport bond.
    pub tokens: Pubkey,
    /// Deposited and not yet withdrawn or slashed.
    pub held: u64,
    /// Locked by jobs in flight: the sum of their `min_bond`.
    pub locked: u64,
    /// Requested for withdrawal; neither lockable nor slashable by new jobs.
    pub pending: u64,
    /// When the pending withdrawal may be taken.
    pub withdraw_at: i64,
    /// Slashed over the bond's life, to clients of failed jobs.
    pub slashed: u64,
    /// Jobs in flight holding a lock on it.
    pub jobs_locked: u32,
    pub bump: u8,
    pub _reserved: [u8; 3],
}

impl Bond {
    pub fn is_lamports(&self) -> bool {
        self.mint == Pubkey::default()
    }

    /// What a job may lock now: held, less what jobs in flight lock and what is pending withdrawal.
    pub fn free(&self) -> u64 {
        self.held.saturating_sub(self.locked).saturating_sub(self.pending)
    }

    /// What a withdrawal may be requested of: everything held that no job in flight locks.
    pub fn unlocked(&self) -> u64 {
        self.held.saturating_sub(self.locked)
    }

    /// Locks `amount` for a job being assigned, or `BondTooSmall`.
    pub fn lock(&mut self, amount: u64) -> Result<()> {
        ensure!(amount <= self.free(), MarketError::BondTooSmall);
        self.locked += amount;
        self.jobs_locked = self.jobs_locked.checked_add(1).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        Ok(())
    }

    /// Releases a job's lock as it leaves flight, slashing `slash` of it (at most the lock): returns what
    /// was slashed, which the caller moves to the client.
    pub fn unlock(&mut self, amount: u64, slash: u64) -> Result<u64> {
        ensure!(slash <= amount, MarketError::MathOverflow);
        self.locked = self.locked.checked_sub(amount).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        self.jobs_locked = self.jobs_locked.checked_sub(1).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        self.held = self.held.checked_sub(slash).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        self.slashed = self.slashed.saturating_add(slash);
        Ok(slash)
    }

    /// Counts as held anything the bond's account holds beyond it (a gift): nothing is ever stranded there.
    pub fn count_balance(&mut self, balance: u64) {
        self.held = self.held.max(balance);
    }

    /// Requests `amount` for withdrawal at `withdraw_at`, replacing any request; zero withdraws the request.
    pub fn request_withdrawal(&mut self, amount: u64, withdraw_at: i64) -> Result<()> {
        ensure!(amount <= self.unlocked(), MarketError::BondInUse);
        self.pending = amount;
        self.withdraw_at = if amount == 0 { 0 } else { withdraw_at };
        Ok(())
    }

    /// Takes the pending withdrawal once its cool-down is over: returns the amount to pay out.
    pub fn take_withdrawal(&mut self, now: i64) -> Result<u64> {
        ensure!(self.pending > 0, MarketError::NoBondWithdrawal);
        ensure!(now >= self.withdraw_at, MarketError::BondCoolingDown);
        let amount = self.pending;
        self.held = self.held.checked_sub(amount).ok_or_else(|| Error::from(MarketError::MathOverflow))?;
        self.pending = 0;
        self.withdraw_at = 0;
        Ok(amount)
    }
}

/// The part of a job's `min_bond` slashed when its provider fails it: `slash_bps` of it, rounded down.
pub fn slash_of(min_bond: u64, slash_bps: u16) -> u64 {
    (u128::from(min_bond) * u128::from(slash_bps) / u128::from(BPS_DENOMINATOR)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::space;

    fn bond(held: u64) -> Bond {
        Bond { held, ..bytemuck::Zeroable::zeroed() }
    }

    #[test]
    fn layout_is_as_documented() {
        assert_eq!(space::<Bond>(), 8 + 144);
    }

    #[test]
    fn locks_come_only_from_what_is_free() {
        let mut b = bond(100);
        b.request_withdrawal(30, 50).unwrap();
        assert_eq!((b.free(), b.unlocked()), (70, 100));
        assert!(b.lock(71).is_err(), "the pending withdrawal is not lockable");
        b.lock(70).unwrap();
        assert_eq!((b.locked, b.jobs_locked, b.free()), (70, 1, 0));
        assert!(b.lock(1).is_err());
        assert!(b.request_withdrawal(31, 50).is_err(), "locked value cannot be requested");
        b.request_withdrawal(30, 60).unwrap();
        assert_eq!((b.pending, b.withdraw_at), (30, 60));
    }

    #[test]
    fn unlocking_slashes_at_most_the_lock() {
        let mut b = bond(100);
        b.lock(40).unwrap();
        b.lock(20).unwrap();
        assert!(b.unlock(40, 41).is_err());
        assert_eq!(b.unlock(40, 10).unwrap(), 10);
        assert_eq!((b.held, b.locked, b.jobs_locked, b.slashed), (90, 20, 1, 10));
        assert_eq!(b.unlock(20, 0).unwrap(), 0);
        assert_eq!((b.held, b.locked, b.jobs_locked, b.slashed), (90, 0, 0, 10));
        assert!(b.unlock(1, 0).is_err(), "nothing is locked any more");
    }

    #[test]
    fn withdrawals_wait_for_their_time() {
        let mut b = bond(100);
        assert!(b.take_withdrawal(0).is_err(), "nothing requested");
        b.request_withdrawal(60, 1_000).unwrap();
        assert!(b.take_withdrawal(999).is_err());
        assert_eq!(b.take_withdrawal(1_000).unwrap(), 60);
        assert_eq!((b.held, b.pending, b.withdraw_at), (40, 0, 0));
        b.request_withdrawal(10, 5).unwrap();
        b.request_withdrawal(0, 5).unwrap();
        assert_eq!((b.pending, b.withdraw_at), (0, 0), "a zero request withdraws the request");
    }

    #[test]
    fn gifts_join_the_bond() {
        let mut b = bond(100);
        b.count_balance(90);
        assert_eq!(b.held, 100, "a balance below what is held changes nothing");
        b.count_balance(130);
        assert_eq!(b.held, 130);
    }

    #[test]
    fn slashes_round_down() {
        assert_eq!(slash_of(1_000, 2_500), 250);
        assert_eq!(slash_of(3, 5_000), 1);
        assert_eq!(slash_of(u64::MAX, 10_000), u64::MAX);
        assert_eq!(slash_of(1_000, 0), 0);
    }
}
