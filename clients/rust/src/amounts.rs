//! SOL amounts typed by people, read exactly into lamports (no floating point), and written back.

pub const LAMPORTS_PER_SOL: u64 = 1_000_000_000;

/// "1.5" SOL -> 1_500_000_000 lamports; at most 9 decimals.
pub fn parse_sol(text: &str) -> Result<u64, String> {
    let bad = || format!("`{text}` is not an amount of SOL (e.g. 0.25)");
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if (whole.is_empty() && fraction.is_empty()) || fraction.len() > 9 {
        return Err(bad());
    }
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return Err(bad());
    }
    let whole: u64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
    let fraction: u64 = format!("{fraction:0<9}").parse().map_err(|_| bad())?;
    whole.checked_mul(LAMPORTS_PER_SOL).and_then(|l| l.checked_add(fraction)).ok_or_else(bad)
}

/// 1_500_000_000 -> "1.5".
pub fn format_sol(lamports: u64) -> String {
    let whole = lamports / LAMPORTS_PER_SOL;
    let fraction = lamports % LAMPORTS_PER_SOL;
    if fraction == 0 {
        return whole.to_string();
    }
    format!("{whole}.{}", format!("{fraction:09}").trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sol_round_trips_exactly() {
        assert_eq!(parse_sol("1.5").unwrap(), 1_500_000_000);
        assert_eq!(parse_sol("0.000000001").unwrap(), 1);
        assert_eq!(parse_sol(".25").unwrap(), 250_000_000);
        assert_eq!(parse_sol("3").unwrap(), 3 * LAMPORTS_PER_SOL);
        assert_eq!(format_sol(1_500_000_000), "1.5");
        assert_eq!(format_sol(1), "0.000000001");
        assert_eq!(format_sol(0), "0");
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for text in ["", ".", "1.0000000001", "-1", "1e9", "abc", "99999999999999999999"] {
            assert!(parse_sol(text).is_err(), "{text}");
        }
    }
}
