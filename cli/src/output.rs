//! What commands print: human-readable tables by default, JSON with `--output json`. Records are
//! JSON objects either way; in tables, fields named `*_lamports` are shown in SOL and fields named
//! `*_units` in the record's `currency` with its `decimals` (`figures::money`), each with its name.

use anchor_lang::prelude::Pubkey;
use serde_json::Value;

use compute_market_client::amounts::Currency;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Table,
    Json,
}

impl Output {
    /// One record: `key  value` lines, nested objects indented.
    pub fn record(&self, value: &Value) {
        match self {
            Output::Json => println!("{}", serde_json::to_string_pretty(value).expect("JSON")),
            Output::Table => {
                let mut lines = Vec::new();
                flatten("", value, &units_of(value), &mut lines);
                let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                for (key, text) in lines {
                    println!("{key:<width$}  {text}");
                }
            }
        }
    }

    /// Several records as a table of the given columns (JSON: the whole records). A column may name
    /// alternatives, `a|b`: the first a row has.
    pub fn table(&self, rows: &[Value], columns: &[&str]) {
        match self {
            Output::Json => println!("{}", serde_json::to_string_pretty(&Value::from(rows.to_vec())).expect("JSON")),
            Output::Table => {
                let cells: Vec<Vec<String>> = rows
                    .iter()
                    .map(|row| {
                        let units = units_of(row);
                        columns.iter().map(|c| column(row, c).map_or_else(|| "-".into(), |(key, value)| cell(key, &value, &units))).collect()
                    })
                    .collect();
                let header: Vec<String> = columns.iter().map(|c| label(c.split('|').next().unwrap_or(c).rsplit('.').next().unwrap_or(c))).collect();
                let widths: Vec<usize> = (0..columns.len())
                    .map(|i| cells.iter().map(|r| r[i].len()).chain([header[i].len()]).max().unwrap_or(0))
                    .collect();
                let line = |items: &[String]| {
                    items.iter().zip(&widths).map(|(s, w)| format!("{s:<w$}")).collect::<Vec<_>>().join("  ").trim_end().to_string()
                };
                println!("{}", line(&header));
                for row in &cells {
                    println!("{}", line(row));
                }
                if rows.is_empty() {
                    println!("(none)");
                }
            }
        }
    }
}

/// The currency of a record's `*_units` fields: its `currency` and `decimals`.
fn units_of(record: &Value) -> Option<Currency> {
    let name = record.get("currency")?.as_str()?;
    let decimals = u8::try_from(record.get("decimals")?.as_u64()?).ok()?;
    Some(if name == "SOL" { Currency::sol() } else { Currency::token(Pubkey::default(), decimals, Some(name)) })
}

/// A key without the unit its amount is stored in: the printed amount names its currency.
fn label(key: &str) -> String {
    key.trim_end_matches("_lamports").trim_end_matches("_units").to_string()
}

/// The first of a column's alternatives the row has, with the key it was found under.
fn column<'a>(row: &Value, alternatives: &'a str) -> Option<(&'a str, Value)> {
    alternatives.split('|').find_map(|path| {
        let value = path.split('.').try_fold(row, |v, key| v.get(key))?;
        Some((path.rsplit('.').next().unwrap_or(path), value.clone()))
    })
}

fn cell(key: &str, value: &Value, units: &Option<Currency>) -> String {
    match value {
        Value::Number(n) if key.ends_with("_lamports") => n.as_u64().map(|l| Currency::sol().format(l)).unwrap_or_else(|| n.to_string()),
        Value::Number(n) if key.ends_with("_units") => match (n.as_u64(), units) {
            (Some(amount), Some(currency)) => currency.format(amount),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        Value::Object(map) => map.iter().map(|(k, v)| format!("{}={}", label(k), cell(k, v, units))).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

fn flatten(prefix: &str, value: &Value, units: &Option<Currency>, lines: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() { label(key) } else { format!("{prefix}.{}", label(key)) };
                if inner.is_object() {
                    flatten(&path, inner, units, lines);
                } else {
                    lines.push((path, cell(key, inner, units)));
                }
            }
        }
        other => lines.push((prefix.to_string(), cell(prefix, other, units))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amounts_are_written_in_their_currency() {
        let usdc_job = json!({ "escrow_units": 500_000, "currency": "USDC", "decimals": 6 });
        assert_eq!(cell("escrow_units", &usdc_job["escrow_units"], &units_of(&usdc_job)), "0.500000 USDC");
        let sol_job = json!({ "escrow_lamports": 250_000_000, "currency": "SOL", "decimals": 9 });
        assert_eq!(cell("escrow_lamports", &sol_job["escrow_lamports"], &units_of(&sol_job)), "0.25 SOL");
        assert_eq!(column(&usdc_job, "escrow_lamports|escrow_units").map(|(k, _)| k), Some("escrow_units"));
        assert_eq!(label("per_core_lamports"), "per_core");
        let mut lines = Vec::new();
        flatten("", &json!({ "rates": { "per_core_lamports": 1_000_000 } }), &None, &mut lines);
        assert_eq!(lines, vec![("rates.per_core".to_string(), "0.001 SOL".to_string())]);
    }
}
