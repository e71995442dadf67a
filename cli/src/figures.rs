//! How amounts are written for people, everywhere the CLI prints one: with their currency (SOL for
//! lamports, 9 decimals; a token by its symbol from the mint table, else its short address, with the
//! decimals the market recorded for its mint), in JSON as base units named `*_lamports` or `*_units` beside
//! `currency` and `decimals`; basis points as percentages, buckets as UTC dates.

use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use compute_market_client::amounts::Currency;
use compute_market_client::index_api::{Amount, Bucket, LAMPORTS_MINT};
use compute_market_client::mints::MintTable;
use serde_json::{json, Map, Value};

pub fn is_lamports(mint: &str) -> bool {
    mint == LAMPORTS_MINT
}

/// The currencies the market knows: SOL and every accepted mint, named by the mint table.
#[derive(Clone, Debug, Default)]
pub struct Currencies {
    table: MintTable,
    decimals: HashMap<Pubkey, u8>,
}

impl Currencies {
    /// `decimals` of each accepted mint, as the market recorded them.
    pub fn new(table: MintTable, decimals: HashMap<Pubkey, u8>) -> Currencies {
        Currencies { table, decimals }
    }

    /// What a job paid with `mint` is counted in: SOL for the default key (a lamport job). A mint the
    /// market never accepted is shown in base units.
    pub fn of(&self, mint: &Pubkey) -> Currency {
        if *mint == Pubkey::default() {
            return Currency::sol();
        }
        self.table.currency(mint, self.decimals.get(mint).copied().unwrap_or(0))
    }

    /// As `of`, for a mint as the index writes it (the system program's address for lamports).
    pub fn of_text(&self, mint: &str) -> Currency {
        if is_lamports(mint) {
            return Currency::sol();
        }
        match mint.parse::<Pubkey>() {
            Ok(key) => self.of(&key),
            // Not an address: named as given, in base units.
            Err(_) => Currency::token(Pubkey::default(), 0, Some(mint)),
        }
    }

    /// "0.5 SOL", "1.500000 USDC".
    pub fn amount(&self, mint: &str, units: u64) -> String {
        self.of_text(mint).format(units)
    }

    /// Amounts in several currencies, SOL first; "0" when there are none.
    pub fn amounts(&self, list: &[Amount]) -> String {
        let mut sorted: Vec<&Amount> = list.iter().collect();
        sorted.sort_by_key(|a| (!is_lamports(&a.mint), a.mint.clone()));
        let shown: Vec<String> = sorted.iter().map(|a| self.amount(&a.mint, a.amount)).collect();
        if shown.is_empty() { "0".into() } else { shown.join(" + ") }
    }

    /// Amounts for JSON: base units, with the currency named and its decimals.
    pub fn amounts_json(&self, list: &[Amount]) -> Value {
        list.iter()
            .map(|a| {
                let currency = self.of_text(&a.mint);
                json!({ "currency": currency.name, "decimals": currency.decimals, "mint": a.mint, "amount": a.amount })
            })
            .collect()
    }
}

/// A record's amounts in `currency`: `<name>_lamports` for SOL, `<name>_units` (base units) for a token,
/// with `currency` and `decimals`, which tables use to write them (`output::cell`).
pub fn money(currency: &Currency, fields: &[(&str, u64)]) -> Map<String, Value> {
    let mut map: Map<String, Value> = fields.iter().map(|(name, units)| (amount_key(currency, name), Value::from(*units))).collect();
    map.insert("currency".into(), currency.name.clone().into());
    map.insert("decimals".into(), currency.decimals.into());
    map
}

/// The key an amount named `name` has in `currency`: `<name>_lamports` or `<name>_units`.
pub fn amount_key(currency: &Currency, name: &str) -> String {
    format!("{name}_{}", if currency.is_sol() { "lamports" } else { "units" })
}

/// `record` with `more`'s keys added (both JSON objects).
pub fn merged(mut record: Value, more: Map<String, Value>) -> Value {
    if let Value::Object(map) = &mut record {
        map.extend(more);
    }
    record
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
        let usdc = Pubkey::new_unique();
        let table = MintTable::new([("USDC".to_string(), usdc, Some(6))]).unwrap();
        let currencies = Currencies::new(table, HashMap::from([(usdc, 6)]));
        assert_eq!(currencies.amount(LAMPORTS_MINT, 1_500_000_000), "1.5 SOL");
        assert_eq!(currencies.amount(&usdc.to_string(), 1_500_000), "1.500000 USDC");
        let mixed = [Amount { mint: usdc.to_string(), amount: 7 }, Amount { mint: LAMPORTS_MINT.into(), amount: 21_666 }];
        assert_eq!(currencies.amounts(&mixed), "0.000021666 SOL + 0.000007 USDC");
        assert_eq!(currencies.amounts(&[]), "0");
        assert_eq!(
            currencies.amounts_json(&mixed[1..]),
            json!([{ "currency": "SOL", "decimals": 9, "mint": LAMPORTS_MINT, "amount": 21_666 }])
        );
        assert_eq!(currencies.of(&Pubkey::default()), Currency::sol());
        let fields = money(&currencies.of(&usdc), &[("escrow", 500_000)]);
        assert_eq!(Value::Object(fields), json!({ "escrow_units": 500_000, "currency": "USDC", "decimals": 6 }));
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
