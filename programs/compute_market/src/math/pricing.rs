//! Prices, escrow, payouts and fee splits, all in checked integer arithmetic rounding down.
//!
//! - A provider's hourly price for a job is the sum over resources of units x rate.
//! - Work of `secs` seconds at `price_per_hour` costs `floor(price_per_hour x secs / 3600)`.
//! - A fee of `bps` basis points on `amount` is `floor(amount x bps / 10,000)`; rounding favours the payee.

use crate::constants::{BPS_DENOMINATOR, SECONDS_PER_HOUR};
use crate::state::{Rates, Resources};

/// Lamports per hour that `rates` charge for `requirements`.
pub fn hourly_price(rates: &Rates, requirements: &Resources) -> Option<u64> {
    let parts = [
        u128::from(requirements.cpu_cores) * u128::from(rates.per_core),
        u128::from(requirements.ram_gb) * u128::from(rates.per_gb_ram),
        u128::from(requirements.storage_gb) * u128::from(rates.per_gb_storage),
        u128::from(requirements.gpus) * u128::from(rates.per_gpu),
    ];
    let total = parts.iter().try_fold(0u128, |sum, part| sum.checked_add(*part))?;
    u64::try_from(total).ok()
}

/// Lamports for `secs` seconds of work at `price_per_hour`.
pub fn cost_for(price_per_hour: u64, secs: u64) -> Option<u64> {
    let total = u128::from(price_per_hour).checked_mul(u128::from(secs))? / u128::from(SECONDS_PER_HOUR);
    u64::try_from(total).ok()
}

/// `bps` basis points of `amount`, rounded down. `bps` above 10,000 is refused.
pub fn bps_of(amount: u64, bps: u16) -> Option<u64> {
    if bps > BPS_DENOMINATOR {
        return None;
    }
    let share = u128::from(amount) * u128::from(bps) / u128::from(BPS_DENOMINATOR);
    u64::try_from(share).ok()
}

/// How a job's escrow is divided when it settles. The three parts always sum to the escrow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settlement {
    /// To the provider's wallet.
    pub provider: u64,
    /// To the treasury.
    pub fee: u64,
    /// Back to the client.
    pub refund: u64,
}

impl Settlement {
    /// Provider share plus fee: what the client paid for work.
    pub fn spent(&self) -> Option<u64> {
        self.provider.checked_add(self.fee)
    }

    /// Everything to the client.
    pub fn refund_all(escrow: u64) -> Settlement {
        Settlement { provider: 0, fee: 0, refund: escrow }
    }

    /// Pays `elapsed` seconds (capped at `duration`) at the agreed price out of `escrow`; the fee
    /// comes out of the payment, and what is left returns to the client.
    pub fn for_work(escrow: u64, price_per_hour: u64, elapsed: u64, duration: u64, fee_bps: u16) -> Option<Settlement> {
        let payment = cost_for(price_per_hour, elapsed.min(duration))?;
        Self::split(escrow, payment, fee_bps)
    }

    /// The arbiter's split: `provider_bps` of the escrow to the provider side, the fee only on that share.
    pub fn for_dispute(escrow: u64, provider_bps: u16, fee_bps: u16) -> Option<Settlement> {
        Self::split(escrow, bps_of(escrow, provider_bps)?, fee_bps)
    }

    /// `bps` of `payment` to the provider side (fee only on that share), the rest of the escrow to the client.
    pub fn for_share_of(escrow: u64, payment: u64, bps: u16, fee_bps: u16) -> Option<Settlement> {
        Self::split(escrow, bps_of(payment, bps)?, fee_bps)
    }

    fn split(escrow: u64, payment: u64, fee_bps: u16) -> Option<Settlement> {
        let refund = escrow.checked_sub(payment)?;
        let fee = bps_of(payment, fee_bps)?;
        Some(Settlement { provider: payment.checked_sub(fee)?, fee, refund })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATES: Rates = Rates { per_core: 1_000_000, per_gb_ram: 100_000, per_gb_storage: 1_000, per_gpu: 50_000_000 };

    #[test]
    fn hourly_price_sums_each_resource() {
        let req = Resources { cpu_cores: 4, ram_gb: 16, storage_gb: 100, gpus: 1 };
        assert_eq!(hourly_price(&RATES, &req), Some(4_000_000 + 1_600_000 + 100_000 + 50_000_000));
        assert_eq!(hourly_price(&RATES, &Resources::default()), Some(0));
    }

    #[test]
    fn hourly_price_overflow_is_none() {
        let rates = Rates { per_core: u64::MAX, ..RATES };
        let req = Resources { cpu_cores: 2, ..Resources::default() };
        assert_eq!(hourly_price(&rates, &req), None);
    }

    #[test]
    fn cost_rounds_down_per_second() {
        assert_eq!(cost_for(3_600, 1), Some(1));
        assert_eq!(cost_for(3_599, 1), Some(0));
        assert_eq!(cost_for(7_200_000, 1_800), Some(3_600_000));
        assert_eq!(cost_for(u64::MAX, 3_600), Some(u64::MAX));
        assert_eq!(cost_for(u64::MAX, 3_601), None);
    }

    #[test]
    fn bps_rounds_down_and_rejects_above_whole() {
        assert_eq!(bps_of(10_000, 250), Some(250));
        assert_eq!(bps_of(999, 1_000), Some(99));
        assert_eq!(bps_of(u64::MAX, 10_000), Some(u64::MAX));
        assert_eq!(bps_of(1, 10_001), None);
    }

    #[test]
    fn work_settlement_conserves_escrow() {
        // 1 hour escrowed at 3,600,000/h, 30 minutes worked, 2.5% fee.
        let s = Settlement::for_work(3_600_000, 3_600_000, 1_800, 3_600, 250).unwrap();
        assert_eq!(s, Settlement { provider: 1_755_000, fee: 45_000, refund: 1_800_000 });
        assert_eq!(s.provider + s.fee + s.refund, 3_600_000);
    }

    #[test]
    fn work_settlement_caps_elapsed_at_duration() {
        let s = Settlement::for_work(3_600_000, 3_600_000, 10_000, 3_600, 0).unwrap();
        assert_eq!(s, Settlement { provider: 3_600_000, fee: 0, refund: 0 });
    }

    #[test]
    fn work_settlement_never_pays_more_than_escrow() {
        assert_eq!(Settlement::for_work(100, 3_600_000, 3_600, 3_600, 0), None);
    }

    #[test]
    fn dispute_fee_only_on_provider_share() {
        let s = Settlement::for_dispute(1_000_001, 3_000, 1_000).unwrap();
        assert_eq!(s, Settlement { provider: 270_000, fee: 30_000, refund: 700_001 });
        assert_eq!(Settlement::for_dispute(500, 0, 1_000).unwrap(), Settlement::refund_all(500));
        assert_eq!(Settlement::for_dispute(500, 10_001, 0), None);
    }

    #[test]
    fn share_of_a_payment_takes_the_fee_on_the_share_only() {
        // Half of a 1,000,000 payment out of 3,000,000: 500,000 less 10% fee to the provider.
        let s = Settlement::for_share_of(3_000_000, 1_000_000, 5_000, 1_000).unwrap();
        assert_eq!(s, Settlement { provider: 450_000, fee: 50_000, refund: 2_500_000 });
        assert_eq!(Settlement::for_share_of(100, 200, 10_000, 0), None, "never more than the escrow");
        assert_eq!(Settlement::for_share_of(100, 50, 10_001, 0), None);
    }

    #[test]
    fn exhaustive_small_splits_conserve() {
        for escrow in 0..200u64 {
            for bps in (0..=10_000u16).step_by(97) {
                let s = Settlement::for_dispute(escrow, bps, 1_000).unwrap();
                assert_eq!(s.provider + s.fee + s.refund, escrow);
            }
        }
    }
}
