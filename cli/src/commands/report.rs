//! `report`: what a provider earned or a client spent, bucket by bucket over the last days, with totals,
//! from the index API (the node keeps no history).

use clap::{Args, ValueEnum};
use compute_market_client::index_api::{Bucket, ClientStats, IndexApi, IndexApiError, ProviderStats, StatsRange};
use serde_json::{json, Value};

use crate::context::{parse_key, Context};
use crate::figures::{bucket_label, percent, Currencies};
use crate::output::Output;

#[derive(Args)]
pub struct ReportArgs {
    /// A provider's report: earnings, jobs completed and failed, completion rate, utilisation and uptime.
    /// Its authority, or the signer's when given no value.
    #[arg(long, value_name = "AUTHORITY", num_args = 0..=1, default_missing_value = "", conflicts_with = "client")]
    provider: Option<String>,
    /// A client's report: spending, jobs posted and completed, fees and refunds. Its authority, or the
    /// signer's when given no value.
    #[arg(long, value_name = "AUTHORITY", num_args = 0..=1, default_missing_value = "")]
    client: Option<String>,
    /// How many days back, today (UTC) included.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    days: u32,
    /// One row per day, or per hour (at most 92 days).
    #[arg(long, value_enum, default_value = "day")]
    bucket: BucketArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BucketArg {
    Day,
    Hour,
}

impl BucketArg {
    fn bucket(self) -> Bucket {
        match self {
            BucketArg::Day => Bucket::Day,
            BucketArg::Hour => Bucket::Hour,
        }
    }
}

/// The range of `days` days ending with today's bucket, refused when the API would refuse it.
fn range(days: u32, bucket: Bucket, now: i64) -> Result<StatsRange, String> {
    let buckets = i64::from(days) * 86_400 / bucket.seconds();
    if buckets > bucket.max_buckets() {
        return Err(format!(
            "{days} days by {} is {buckets} rows; the index API answers at most {} in one report",
            bucket.as_str(),
            bucket.max_buckets()
        ));
    }
    Ok(StatsRange::last(buckets, bucket, now))
}

pub fn run(context: &Context, args: ReportArgs) -> Result<(), String> {
    let api = context.require_index("report")?;
    let currencies = context.currencies()?;
    let bucket = args.bucket.bucket();
    let range = range(args.days, bucket, context.now())?;
    let named = |text: &str, what: &str| if text.is_empty() { context.me() } else { parse_key(text, what) };
    let (authority, as_provider) = match (&args.provider, &args.client) {
        (Some(p), _) => (named(p, "provider authority")?, true),
        (None, Some(c)) => (named(c, "client")?, false),
        (None, None) => {
            let me = context.me()?;
            (me, is_indexed_provider(&api, &me.to_string())?)
        }
    };
    let authority = authority.to_string();
    let (text, record) = if as_provider {
        let stats = api.provider_stats(&authority, &range).map_err(|e| format!("provider {authority}: {e}"))?;
        (provider_table(&stats, bucket, &currencies), provider_json(&stats, bucket, &currencies))
    } else {
        let stats = api.client_stats(&authority, &range).map_err(|e| format!("client {authority}: {e}"))?;
        (client_table(&stats, bucket, &currencies), client_json(&stats, bucket, &currencies))
    };
    match context.output {
        Output::Json => context.output.record(&record),
        Output::Table => {
            println!("{}", text.title);
            Output::Table.table(&text.rows, text.columns);
        }
    }
    Ok(())
}

/// A report as a table: its title line, one row per bucket and a last row of totals, all as text.
struct Table {
    title: String,
    columns: &'static [&'static str],
    rows: Vec<Value>,
}

fn is_indexed_provider(api: &IndexApi, authority: &str) -> Result<bool, String> {
    match api.provider(authority) {
        Ok(_) => Ok(true),
        Err(IndexApiError::NotFound { .. }) => Ok(false),
        Err(error) => Err(error.to_string()),
    }
}

fn title(view: &str, authority: &str, bucket: Bucket, from: i64, to: i64) -> String {
    let last = to - bucket.seconds();
    format!("{view} {authority}, by {} (UTC), {} to {}", bucket.as_str(), bucket_label(from, bucket), bucket_label(last, bucket))
}

fn provider_table(s: &ProviderStats, bucket: Bucket, currencies: &Currencies) -> Table {
    let mut rows: Vec<Value> = s
        .series
        .iter()
        .map(|p| {
            json!({
                bucket.as_str(): bucket_label(p.bucket_start, bucket), "earnings": currencies.amounts(&p.earnings),
                "completed": p.jobs_completed.to_string(), "failed": p.jobs_failed.to_string(),
                "completion": percent(p.completion_rate_bps), "utilisation": percent(p.utilisation_bps),
                "heartbeats": p.heartbeats.to_string(), "up": if p.up { "yes" } else { "no" },
            })
        })
        .collect();
    let t = &s.totals;
    rows.push(json!({
        bucket.as_str(): "total", "earnings": currencies.amounts(&t.earnings), "completed": t.jobs_completed.to_string(),
        "failed": t.jobs_failed.to_string(), "completion": percent(t.completion_rate_bps),
        "utilisation": percent(t.utilisation_bps), "heartbeats": "", "up": percent(Some(t.uptime_bps)),
    }));
    let columns: &'static [&'static str] = match bucket {
        Bucket::Day => &["day", "earnings", "completed", "failed", "completion", "utilisation", "heartbeats", "up"],
        Bucket::Hour => &["hour", "earnings", "completed", "failed", "completion", "utilisation", "heartbeats", "up"],
    };
    Table { title: title("provider", &s.provider.authority, bucket, s.from, s.to), columns, rows }
}

fn provider_json(s: &ProviderStats, bucket: Bucket, currencies: &Currencies) -> Value {
    let t = &s.totals;
    json!({
        "view": "provider",
        "authority": s.provider.authority,
        "bucket": bucket.as_str(),
        "from": s.from,
        "to": s.to,
        "rows": s.series.iter().map(|p| json!({
            "bucket_start": p.bucket_start, "label": bucket_label(p.bucket_start, bucket), "earnings": currencies.amounts_json(&p.earnings),
            "jobs_completed": p.jobs_completed, "jobs_failed": p.jobs_failed, "completion_rate_bps": p.completion_rate_bps,
            "busy_core_secs": p.busy_core_secs, "utilisation_bps": p.utilisation_bps, "heartbeats": p.heartbeats, "up": p.up,
        })).collect::<Vec<_>>(),
        "totals": {
            "earnings": currencies.amounts_json(&t.earnings), "jobs_completed": t.jobs_completed, "jobs_failed": t.jobs_failed,
            "completion_rate_bps": t.completion_rate_bps, "busy_core_secs": t.busy_core_secs,
            "utilisation_bps": t.utilisation_bps, "uptime_bps": t.uptime_bps,
        },
    })
}

fn client_table(s: &ClientStats, bucket: Bucket, currencies: &Currencies) -> Table {
    let mut rows: Vec<Value> = s
        .series
        .iter()
        .map(|p| {
            json!({
                bucket.as_str(): bucket_label(p.bucket_start, bucket), "posted": p.jobs_posted.to_string(),
                "completed": p.jobs_completed.to_string(), "spent": currencies.amounts(&p.spent), "fees": currencies.amounts(&p.fees),
                "refunded": currencies.amounts(&p.refunded),
            })
        })
        .collect();
    let t = &s.totals;
    rows.push(json!({
        bucket.as_str(): "total", "posted": t.jobs_posted.to_string(), "completed": t.jobs_completed.to_string(),
        "spent": currencies.amounts(&t.spent), "fees": currencies.amounts(&t.fees), "refunded": currencies.amounts(&t.refunded),
    }));
    let columns: &'static [&'static str] = match bucket {
        Bucket::Day => &["day", "posted", "completed", "spent", "fees", "refunded"],
        Bucket::Hour => &["hour", "posted", "completed", "spent", "fees", "refunded"],
    };
    Table { title: title("client", &s.client.authority, bucket, s.from, s.to), columns, rows }
}

fn client_json(s: &ClientStats, bucket: Bucket, currencies: &Currencies) -> Value {
    let t = &s.totals;
    json!({
        "view": "client",
        "authority": s.client.authority,
        "bucket": bucket.as_str(),
        "from": s.from,
        "to": s.to,
        "rows": s.series.iter().map(|p| json!({
            "bucket_start": p.bucket_start, "label": bucket_label(p.bucket_start, bucket), "jobs_posted": p.jobs_posted,
            "jobs_completed": p.jobs_completed, "spent": currencies.amounts_json(&p.spent), "fees": currencies.amounts_json(&p.fees),
            "refunded": currencies.amounts_json(&p.refunded),
        })).collect::<Vec<_>>(),
        "totals": {
            "jobs_posted": t.jobs_posted, "jobs_completed": t.jobs_completed, "spent": currencies.amounts_json(&t.spent),
            "fees": currencies.amounts_json(&t.fees), "refunded": currencies.amounts_json(&t.refunded),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_market_client::index_api::{Amount, ClientPoint, ClientSummary, ClientTotals, LAMPORTS_MINT};

    #[test]
    fn a_range_covers_the_days_asked_up_to_today() {
        let now = 1_700_000_123; // 2023-11-14T22:15:23Z
        let days = range(30, Bucket::Day, now).unwrap();
        assert_eq!((days.from, days.to), (Some(1_697_414_400), Some(1_700_006_400)));
        let hours = range(2, Bucket::Hour, now).unwrap();
        assert_eq!(hours.to.unwrap() - hours.from.unwrap(), 48 * 3_600);
        assert!(range(92, Bucket::Hour, now).is_ok());
        assert_eq!(range(93, Bucket::Hour, now).unwrap_err(), "93 days by hour is 2232 rows; the index API answers at most 2208 in one report");
    }

    #[test]
    fn a_client_report_has_a_row_per_bucket_and_totals_last() {
        let sol = |amount| vec![Amount { mint: LAMPORTS_MINT.into(), amount }];
        let stats = ClientStats {
            client: ClientSummary {
                authority: "Cli1".into(), profile: "P".into(), jobs_posted: 1, jobs_completed: 1, jobs_cancelled: 0, jobs_expired: 0,
                jobs_disputed: 0, lamports_spent: 22_221, registered_at: 0,
            },
            bucket: "day".into(),
            from: 1_699_920_000,
            to: 1_700_092_800,
            totals: ClientTotals { jobs_posted: 1, jobs_completed: 1, spent: sol(22_221), fees: sol(555), refunded: vec![] },
            series: vec![
                ClientPoint { bucket_start: 1_699_920_000, jobs_posted: 0, jobs_completed: 0, spent: vec![], fees: vec![], refunded: vec![] },
                ClientPoint { bucket_start: 1_700_006_400, jobs_posted: 1, jobs_completed: 1, spent: sol(22_221), fees: sol(555), refunded: vec![] },
            ],
        };
        let currencies = Currencies::default();
        let table = client_table(&stats, Bucket::Day, &currencies);
        assert_eq!(table.title, "client Cli1, by day (UTC), 2023-11-14 to 2023-11-15");
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.rows[0]["spent"], "0");
        assert_eq!(table.rows[1], json!({ "day": "2023-11-15", "posted": "1", "completed": "1", "spent": "0.000022221 SOL", "fees": "0.000000555 SOL", "refunded": "0" }));
        assert_eq!(table.rows[2]["day"], "total");
        let record = client_json(&stats, Bucket::Day, &currencies);
        assert_eq!(record["totals"]["spent"], json!([{ "currency": "SOL", "decimals": 9, "mint": LAMPORTS_MINT, "amount": 22_221 }]));
        assert_eq!(record["rows"][1]["label"], "2023-11-15");
    }
}
