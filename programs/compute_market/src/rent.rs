//! Rent-exempt minimums in integer arithmetic. `Rent::minimum_balance` multiplies by the sysvar's
//! exemption threshold in floating point, which sBPF has no instructions for: the conversions and the
//! product run as software routines. The threshold is 2 under the rent clusters have charged so far
//! (3,480 lamports a byte-year) and 1 under SIMD-0194's (6,960 a byte-year, the rent of the Agave 4.2
//! engine the bench runs): for those two, multiplying in integers gives exactly what the floating-point
//! product does for any balance below 2^52. Measured on the lamport job path, which works out five
//! minimums: about 900 compute units less than the sysvar's formula. Any other threshold, or a larger
//! product, takes the sysvar's own formula.

use anchor_lang::prelude::*;

/// Bytes the runtime counts for every account beyond its data (`solana_rent::ACCOUNT_STORAGE_OVERHEAD`).
const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;
/// Below this, an integer, and twice it, convert to f64 and back unchanged.
const EXACT_IN_F64: u64 = 1 << 52;

/// What an account of `data_len` bytes must hold to be rent-exempt under `rent`; equal to
/// `rent.minimum_balance(data_len)`.
#[allow(deprecated)]
pub fn rent_exempt_minimum(rent: &Rent, data_len: usize) -> u64 {
    let yearly = (ACCOUNT_STORAGE_OVERHEAD + data_len as u64).checked_mul(rent.lamports_per_byte_year);
    let threshold = rent.exemption_threshold.to_bits();
    match yearly {
        Some(yearly) if yearly < EXACT_IN_F64 && threshold == 2.0f64.to_bits() => 2 * yearly,
        Some(yearly) if yearly < EXACT_IN_F64 && threshold == 1.0f64.to_bits() => yearly,
        _ => rent.minimum_balance(data_len),
    }
}

/// The rent-exempt minimum for `data_len` bytes under the cluster's current rent.
pub fn current_rent_exempt_minimum(data_len: usize) -> Result<u64> {
    Ok(rent_exempt_minimum(&Rent::get()?, data_len))
}

#[cfg(test)]
#[allow(deprecated)]
mod tests {
    use super::*;

    fn rent(lamports_per_byte_year: u64, exemption_threshold: f64) -> Rent {
        Rent { lamports_per_byte_year, exemption_threshold, ..Rent::default() }
    }

    #[test]
    fn equals_the_sysvars_formula_under_todays_rent_and_simd_0194s() {
        let rents = [Rent::default(), rent(6_960, 1.0), rent(3_480, 2.0), rent(1, 2.0), rent(0, 2.0)];
        for rent in rents {
            for data_len in (0..20_000).chain([165, 616, 10 * 1024 * 1024]) {
                assert_eq!(rent_exempt_minimum(&rent, data_len), rent.minimum_balance(data_len), "{data_len} bytes");
            }
        }
    }

    #[test]
    fn any_other_threshold_or_a_product_too_large_for_f64_takes_the_sysvars_formula() {
        // Products of 2^52 and more (but no overflow in the sysvar's own formula).
        for rent in [rent(3_480, 1.5), rent(3_480, 0.5), rent(1 << 44, 2.0), rent(1 << 50, 1.0)] {
            for data_len in [0, 165, 616, 4_096] {
                assert_eq!(rent_exempt_minimum(&rent, data_len), rent.minimum_balance(data_len), "{data_len} bytes");
            }
        }
    }
}
