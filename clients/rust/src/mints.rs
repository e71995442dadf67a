//! The mint table: which token address a symbol such as `USDC` means on a cluster. A JSON file, an
//! array of `{ "symbol", "address", "decimals" }` (the shape of the dApp's `/config.json` `mints`); the
//! local node writes one in its keys folder (`mints.json`) for its own USDC, and a user on devnet writes
//! one naming the cluster's USDC. Symbols are matched without regard to case. The chain stays the
//! authority: a mint's decimals and whether the market accepts it are read from its accounts.

use std::path::Path;

use anchor_lang::prelude::Pubkey;
use serde::{Deserialize, Serialize};

use crate::amounts::Currency;

/// The file name the local node writes its mint table to, in its keys folder.
pub const MINT_TABLE_FILE: &str = "mints.json";

/// One entry: a symbol for a mint's address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintLabel {
    pub symbol: String,
    /// The mint's address, base58.
    pub address: String,
    /// The mint's decimals as the table's author read them (the chain's are used where it matters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u8>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MintTable {
    entries: Vec<(String, Pubkey, Option<u8>)>,
}

impl MintTable {
    /// A table of `(symbol, mint, decimals)`; a symbol given twice is refused.
    pub fn new(entries: impl IntoIterator<Item = (String, Pubkey, Option<u8>)>) -> Result<MintTable, String> {
        let mut table = MintTable::default();
        for (symbol, mint, decimals) in entries {
            if symbol.is_empty() || !symbol.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(format!("`{symbol}` is not a mint symbol (letters, digits, - and _)"));
            }
            if table.by_symbol(&symbol).is_some() {
                return Err(format!("the mint table names {symbol} twice"));
            }
            table.entries.push((symbol, mint, decimals));
        }
        Ok(table)
    }

    /// Parses a table's JSON text; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<MintTable, String> {
        let labels: Vec<MintLabel> =
            serde_json::from_str(text).map_err(|e| format!("{source} is not a mint table ([{{\"symbol\", \"address\", \"decimals\"}}]): {e}"))?;
        let entries = labels
            .into_iter()
            .map(|l| {
                let mint = l.address.parse().map_err(|_| format!("{source}: `{}` ({}) is not a mint address", l.address, l.symbol))?;
                Ok((l.symbol, mint, l.decimals))
            })
            .collect::<Result<Vec<_>, String>>()?;
        MintTable::new(entries).map_err(|e| format!("{source}: {e}"))
    }

    pub fn load(path: &Path) -> Result<MintTable, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read the mint table {}: {e}", path.display()))?;
        MintTable::parse(&text, &path.display().to_string())
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(&self.labels()).expect("labels serialize");
        std::fs::write(path, text + "\n").map_err(|e| format!("cannot write the mint table {}: {e}", path.display()))
    }

    pub fn labels(&self) -> Vec<MintLabel> {
        self.entries.iter().map(|(symbol, mint, decimals)| MintLabel { symbol: symbol.clone(), address: mint.to_string(), decimals: *decimals }).collect()
    }

    /// The mint a symbol names, any case.
    pub fn by_symbol(&self, symbol: &str) -> Option<Pubkey> {
        self.entries.iter().find(|(s, _, _)| s.eq_ignore_ascii_case(symbol)).map(|(_, mint, _)| *mint)
    }

    pub fn symbol_of(&self, mint: &Pubkey) -> Option<&str> {
        self.entries.iter().find(|(_, m, _)| m == mint).map(|(s, _, _)| s.as_str())
    }

    /// A token's currency: its symbol from this table when it has one, with the chain's `decimals`.
    pub fn currency(&self, mint: &Pubkey, decimals: u8) -> Currency {
        Currency::token(*mint, decimals, self.symbol_of(mint))
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_name_mints_in_any_case_and_round_trip_through_the_file() {
        let usdc = Pubkey::new_unique();
        let text = format!(r#"[{{ "symbol": "USDC", "address": "{usdc}", "decimals": 6 }}]"#);
        let table = MintTable::parse(&text, "mints.json").unwrap();
        assert_eq!(table.by_symbol("usdc"), Some(usdc));
        assert_eq!(table.symbol_of(&usdc), Some("USDC"));
        assert_eq!(table.currency(&usdc, 6).format(2_500_000), "2.500000 USDC");
        assert_eq!(table.by_symbol("BONK"), None);
        let path = std::env::temp_dir().join(format!("cm-mints-{}.json", std::process::id()));
        table.write(&path).unwrap();
        assert_eq!(MintTable::load(&path).unwrap(), table);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn refuses_bad_tables_by_name() {
        let mint = Pubkey::new_unique();
        let twice = format!(r#"[{{"symbol":"USDC","address":"{mint}"}},{{"symbol":"usdc","address":"{mint}"}}]"#);
        assert_eq!(MintTable::parse(&twice, "t.json").unwrap_err(), "t.json: the mint table names usdc twice");
        assert!(MintTable::parse(r#"[{"symbol":"USDC","address":"nope"}]"#, "t.json").unwrap_err().contains("`nope` (USDC) is not a mint address"));
        assert!(MintTable::parse("{}", "t.json").unwrap_err().starts_with("t.json is not a mint table"));
        assert!(MintTable::new([("U SD".to_string(), mint, None)]).is_err());
    }
}
