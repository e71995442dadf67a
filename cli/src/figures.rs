//! How the index's figures are written for people: amounts with their currency (SOL for lamports, 9
//! decimals; else the mint's base units and its address, as the CLI knows no token's decimals), basis
//! points as percentages, buckets as UTC dates.

use compute_market_client::amounts::format_sol;
use compute_market_client::index_api::{Amount, Bucket, LAMPORTS_MINT};
use serde_json::{json, Value};

pub fn is_lamports(mint: &str) -> bool {
    mint == LAMPORTS_MINT
}

/// "SOL", or the mint's address.
pub fn currency(mint: &str) -> &str {
    if is_lamports(mint) { "SOL" } else { mint }
}

/// "0.5 SOL", or "1500 <mint>" in base units.
pub fn amount(mint: &str, units: u64) -> String {
    if is_lamports(mint) { format!("{} SOL", format_sol(units)) } else { format!("{units} {mint}") }
}

/// Amounts in several currencies, SOL first; "0" when there are none.
pub fn amounts(list: &[Amount]) -> String {
    let mut sorted: Vec<&Amount> = list.iter().collect();
    sorted.sort_by_key(|a| (!is_lamports(&a.mint), a.mint.clone()));
    let shown: Vec<String> = sorted.iter().map(|a| amount(&a.mint, a.amount)).collect();
    if shown.is_empty() { "0".into() } else { shown.join(" + ") }
}

/// Amounts for JSON: base units, with the currency named.
pub fn amounts_json(list: &[Amount]) -> Value {
    list.iter().map(|a| json!({ "currency": currency(&a.mint), "mint": a.mint, "amount": a.amount })).collect()
}

/// 6666 -> "66.66%"; none -> "-".
pub fn percent(bps: Option<u64>) -> String {
    bps.map(|b| format!("{}.{:02}%", b / 100, b % 100)).unwrap_or_else(|| "-".into())
}

/// A bucket's start in UTC: "2023-11-14" for a day, "2023-11-14 22:00" for an hour.
pub fn bucket_label(start: i64, bucket: Bucket) -> String {
    let (year, month, day) = civil_date(start.div_euclid(86_400));
    match bucket {
        Bucket::Day => format!("{year:04}-{month:02}-{day:02}"),
        Bucket::Hour => format!("{year:04}-{month:02}-{day:02} {:02}:00", start.rem_euclid(86_400) / 3_600),
    }
}

/// The proleptic Gregorian date of a count of days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = (if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 }) as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_name_their_currency() {
        assert_eq!(amount(LAMPORTS_MINT, 1_500_000_000), "1.5 SOL");
        assert_eq!(amount("Mint1", 1_500), "1500 Mint1");
        let mixed = [Amount { mint: "Mint1".into(), amount: 7 }, Amount { mint: LAMPORTS_MINT.into(), amount: 21_666 }];
        assert_eq!(amounts(&mixed), "0.000021666 SOL + 7 Mint1");
        assert_eq!(amounts(&[]), "0");
        assert_eq!(amounts_json(&mixed[1..]), json!([{ "currency": "SOL", "mint": LAMPORTS_MINT, "amount": 21_666 }]));
    }

    #[test]
    fn basis_points_read_as_percentages() {
        assert_eq!(percent(Some(6_666)), "66.66%");
        assert_eq!(percent(Some(10_000)), "100.00%");
        assert_eq!(percent(Some(5)), "0.05%");
        assert_eq!(percent(None), "-");
    }

    #[test]
    fn buckets_read_as_utc_dates() {
        assert_eq!(bucket_label(0, Bucket::Day), "1970-01-01");
        assert_eq!(bucket_label(1_700_000_123, Bucket::Day), "2023-11-14");
        assert_eq!(bucket_label(1_699_999_200, Bucket::Hour), "2023-11-14 22:00");
        assert_eq!(bucket_label(951_782_400, Bucket::Day), "2000-02-29");
        assert_eq!(bucket_label(1_709_251_199, Bucket::Hour), "2024-02-29 23:00");
        assert_eq!(bucket_label(4_102_444_800, Bucket::Day), "2100-01-01");
    }
}
