//! Amounts typed by people, read exactly into base units (no floating point), and written back with
//! their currency: SOL (lamports, 9 decimals) or a token (its mint's decimals, named by its symbol when
//! known, else by its short address).

use anchor_lang::prelude::Pubkey;

pub const LAMPORTS_PER_SOL: u64 = 1_000_000_000;
/// SOL's decimals: a lamport is 10^-9 SOL.
pub const SOL_DECIMALS: u8 = 9;
/// More decimals than any u64 amount can use.
const MAX_DECIMALS: u8 = 19;

/// "1.5" SOL -> 1_500_000_000 lamports; at most 9 decimals.
pub fn parse_sol(text: &str) -> Result<u64, String> {
    parse_units(text, SOL_DECIMALS, "SOL")
}

/// "1.5" of a currency with `decimals` -> its base units (1_500_000 for 6 decimals), exactly. Refuses,
/// naming `currency`, what is not a plain decimal number, has more decimals than the currency, or
/// overflows.
pub fn parse_units(text: &str, decimals: u8, currency: &str) -> Result<u64, String> {
    let bad = || format!("`{text}` is not an amount of {currency} (e.g. 0.25)");
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) || decimals > MAX_DECIMALS {
        return Err(bad());
    }
    if fraction.len() > usize::from(decimals) {
        return Err(format!("`{text}` has {} decimals; {currency} has {decimals}", fraction.len()));
    }
    let scale = 10u64.pow(decimals.into());
    let whole: u64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
    let fraction: u64 = if decimals == 0 { 0 } else { format!("{fraction:0<width$}", width = usize::from(decimals)).parse().map_err(|_| bad())? };
    whole.checked_mul(scale).and_then(|units| units.checked_add(fraction)).ok_or_else(bad)
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

/// Base units with every decimal of the currency: 1_500_000 at 6 decimals -> "1.500000".
pub fn format_units(units: u64, decimals: u8) -> String {
    if decimals == 0 || decimals > MAX_DECIMALS {
        return units.to_string();
    }
    let scale = 10u64.pow(decimals.into());
    format!("{}.{:0width$}", units / scale, units % scale, width = usize::from(decimals))
}

/// "EPjF..Dt1v": a key short enough to read, for a mint that has no symbol.
pub fn short_address(key: &Pubkey) -> String {
    let text = key.to_string();
    format!("{}..{}", &text[..4], &text[text.len() - 4..])
}

/// What an amount is counted in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Currency {
    /// "SOL", a token's symbol, or its short address.
    pub name: String,
    pub decimals: u8,
    /// The token's mint; none for SOL.
    pub mint: Option<Pubkey>,
}

impl Currency {
    pub fn sol() -> Currency {
        Currency { name: "SOL".into(), decimals: SOL_DECIMALS, mint: None }
    }

    /// A token, by its symbol when known.
    pub fn token(mint: Pubkey, decimals: u8, symbol: Option<&str>) -> Currency {
        Currency { name: symbol.map_or_else(|| short_address(&mint), str::to_string), decimals, mint: Some(mint) }
    }

    pub fn is_sol(&self) -> bool {
        self.mint.is_none()
    }

    /// The number alone: SOL without trailing zeros ("0.25"), a token with all its decimals ("1.500000").
    pub fn number(&self, units: u64) -> String {
        if self.is_sol() { format_sol(units) } else { format_units(units, self.decimals) }
    }

    /// "0.25 SOL", "1.500000 USDC".
    pub fn format(&self, units: u64) -> String {
        format!("{} {}", self.number(units), self.name)
    }

    /// What a person typed, in this currency's base units.
    pub fn parse(&self, text: &str) -> Result<u64, String> {
        parse_units(text, self.decimals, &self.name)
    }
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

    #[test]
    fn tokens_parse_exactly_with_their_decimals() {
        let usdc = Currency::token(Pubkey::new_unique(), 6, Some("USDC"));
        assert_eq!(usdc.parse("1.5").unwrap(), 1_500_000);
        assert_eq!(usdc.parse("0.000001").unwrap(), 1);
        assert_eq!(usdc.parse("1000").unwrap(), 1_000_000_000);
        assert_eq!(usdc.parse("1.0000001").unwrap_err(), "`1.0000001` has 7 decimals; USDC has 6");
        assert_eq!(usdc.parse("1,5").unwrap_err(), "`1,5` is not an amount of USDC (e.g. 0.25)");
        assert!(usdc.parse("18446744073709.551616").is_err(), "overflows u64");
        assert_eq!(parse_units("7", 0, "WHOLE").unwrap(), 7);
        assert_eq!(parse_units("7.5", 0, "WHOLE").unwrap_err(), "`7.5` has 1 decimals; WHOLE has 0");
    }

    #[test]
    fn amounts_are_written_with_their_currency() {
        let mint = Pubkey::new_from_array([7; 32]);
        assert_eq!(Currency::token(mint, 6, Some("USDC")).format(1_500_000), "1.500000 USDC");
        assert_eq!(Currency::token(mint, 6, Some("USDC")).format(1), "0.000001 USDC");
        assert_eq!(Currency::sol().format(250_000_000), "0.25 SOL");
        let unnamed = Currency::token(mint, 2, None);
        let text = mint.to_string();
        assert_eq!(unnamed.format(12_345), format!("123.45 {}..{}", &text[..4], &text[text.len() - 4..]));
        assert_eq!(format_units(5, 0), "5");
    }
}
