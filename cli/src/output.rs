//! What commands print: human-readable tables by default, JSON with `--output json`. Records are
//! JSON objects either way; in tables, fields named `*_lamports` are shown in SOL.

use serde_json::Value;

use compute_market_client::amounts::format_sol;

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
                flatten("", value, &mut lines);
                let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                for (key, text) in lines {
                    println!("{key:<width$}  {text}");
                }
            }
        }
    }

    /// Several records as a table of the given columns (JSON: the whole records).
    pub fn table(&self, rows: &[Value], columns: &[&str]) {
        match self {
            Output::Json => println!("{}", serde_json::to_string_pretty(&Value::from(rows.to_vec())).expect("JSON")),
            Output::Table => {
                let cells: Vec<Vec<String>> =
                    rows.iter().map(|row| columns.iter().map(|c| cell(c, &lookup(row, c))).collect()).collect();
                let header: Vec<String> = columns.iter().map(|c| c.rsplit('.').next().unwrap_or(c).replace("_lamports", "_sol")).collect();
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

fn lookup(value: &Value, path: &str) -> Value {
    path.split('.').fold(value.clone(), |v, key| v.get(key).cloned().unwrap_or(Value::Null))
}

fn cell(key: &str, value: &Value) -> String {
    match value {
        Value::Number(n) if key.ends_with("_lamports") => n.as_u64().map(format_sol).unwrap_or_else(|| n.to_string()),
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        Value::Object(map) => map.iter().map(|(k, v)| format!("{}={}", k.replace("_lamports", "_sol"), cell(k, v))).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

fn flatten(prefix: &str, value: &Value, lines: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                if inner.is_object() {
                    flatten(&path, inner, lines);
                } else {
                    let shown = cell(key, inner);
                    let label = if key.ends_with("_lamports") { path.replace("_lamports", " (SOL)") } else { path };
                    lines.push((label, shown));
                }
            }
        }
        other => lines.push((prefix.to_string(), cell(prefix, other))),
    }
}
