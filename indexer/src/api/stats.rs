//! `/stats/market`, `/stats/providers/{authority}` and `/stats/clients/{authority}`: the hourly rollups
//! summed per bucket (days are sums of their hours), with the figures docs/API.md defines: completion rate,
//! utilisation and uptime in basis points. Amounts are listed per currency (`[{mint, amount}]`, currencies
//! with a non-zero amount, in mint order).

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::params::{path_address, Bucket, QueryParams, HOUR};
use super::AppState;
use crate::store::read::{Buckets, Client, ClientSums, MarketSums, Provider, ProviderSums};

/// An amount in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct MintAmount {
    /// The payment mint; `11111111111111111111111111111111` for lamports.
    pub mint: String,
    /// In the currency's base units.
    pub amount: u64,
}

/// The market's figures in one currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct MarketTotals {
    pub mint: String,
    pub jobs_posted: u64,
    pub jobs_assigned: u64,
    /// Settled with the job completed (accepted or auto-released).
    pub jobs_completed: u64,
    /// Settled as a failure of the provider (not started, no result, ruling below half).
    pub jobs_failed: u64,
    pub jobs_cancelled: u64,
    pub jobs_disputed: u64,
    /// What settled jobs cost their clients: provider payout (paid or held) plus fee.
    pub volume: u64,
    pub fees: u64,
    /// Returned to clients (refunds, surplus).
    pub refunds: u64,
}

/// The market's figures in one bucket and currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct MarketPoint {
    pub bucket_start: i64,
    #[serde(flatten)]
    pub figures: MarketTotals,
}

/// Providers known now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProviderCounts {
    /// With an account (not retired).
    pub registered: u64,
    /// Of those, taking jobs.
    pub active: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct MarketStats {
    pub bucket: Bucket,
    /// Start of the first bucket.
    pub from: i64,
    /// End of the last bucket (exclusive).
    pub to: i64,
    /// One per currency with activity in the range.
    pub totals: Vec<MarketTotals>,
    /// One per bucket and currency with activity, oldest first.
    pub series: Vec<MarketPoint>,
    pub providers: ProviderCounts,
    /// Clients known now.
    pub clients: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProviderTotals {
    pub jobs_completed: u64,
    pub jobs_failed: u64,
    /// completed / (completed + failed), null when both are zero.
    pub completion_rate_bps: Option<u64>,
    pub earnings: Vec<MintAmount>,
    /// Core-seconds of the runs that ended (result submitted) in the range.
    pub busy_core_secs: u64,
    /// busy_core_secs / (CPU cores x the range's seconds), capped at 10000; null without cores.
    pub utilisation_bps: Option<u64>,
    /// Hours with a heartbeat / hours of the range since registration (up to now).
    pub uptime_bps: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProviderPoint {
    pub bucket_start: i64,
    pub jobs_completed: u64,
    pub jobs_failed: u64,
    pub completion_rate_bps: Option<u64>,
    pub earnings: Vec<MintAmount>,
    pub busy_core_secs: u64,
    pub utilisation_bps: Option<u64>,
    pub heartbeats: u64,
    /// At least one of the bucket's hours held a heartbeat.
    pub up: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProviderStats {
    pub provider: Provider,
    pub bucket: Bucket,
    pub from: i64,
    pub to: i64,
    pub totals: ProviderTotals,
    /// One per bucket of the range, empty buckets included, oldest first.
    pub series: Vec<ProviderPoint>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ClientTotals {
    pub jobs_posted: u64,
    pub jobs_completed: u64,
    /// What settled jobs cost: provider payout plus fee.
    pub spent: Vec<MintAmount>,
    pub fees: Vec<MintAmount>,
    /// Escrow returned: refunds and surplus.
    pub refunded: Vec<MintAmount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ClientPoint {
    pub bucket_start: i64,
    pub jobs_posted: u64,
    pub jobs_completed: u64,
    pub spent: Vec<MintAmount>,
    pub fees: Vec<MintAmount>,
    pub refunded: Vec<MintAmount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ClientStats {
    pub client: Client,
    pub bucket: Bucket,
    pub from: i64,
    pub to: i64,
    pub totals: ClientTotals,
    /// One per bucket of the range, empty buckets included, oldest first.
    pub series: Vec<ClientPoint>,
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// `part / whole` in basis points, capped at 10,000; None when `whole` is zero.
fn bps(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| (u128::from(part) * 10_000 / u128::from(whole)).min(10_000) as u64)
}

fn completion_rate(completed: u64, failed: u64) -> Option<u64> {
    bps(completed, completed.saturating_add(failed))
}

fn utilisation(busy_core_secs: u64, cores: u64, seconds: i64) -> Option<u64> {
    bps(busy_core_secs, cores.saturating_mul(unsigned(seconds)))
}

/// Amounts per currency, summed as they are added; listed without zeros, in mint order.
#[derive(Default)]
struct Amounts(BTreeMap<String, u64>);

impl Amounts {
    fn add(&mut self, mint: &str, amount: i64) {
        if amount > 0 {
            let sum = self.0.entry(mint.to_string()).or_default();
            *sum = sum.saturating_add(unsigned(amount));
        }
    }

    fn list(&self) -> Vec<MintAmount> {
        self.0.iter().map(|(mint, amount)| MintAmount { mint: mint.clone(), amount: *amount }).collect()
    }
}

const STATS_PARAMETERS: &[&str] = &["bucket", "from", "to"];

/// The market, per bucket and currency.
#[utoipa::path(
    get,
    path = "/stats/market",
    tag = "stats",
    params(
        ("bucket" = Option<String>, Query, description = "hour or day (default day)"),
        ("from" = Option<u64>, Query, description = "Unix seconds, down to its bucket's start (default: to - 30 days)"),
        ("to" = Option<u64>, Query, description = "Unix seconds, exclusive, widened to a bucket's end (default: now)"),
        ("mint" = Option<String>, Query, description = "Only this currency (base58 mint)"),
    ),
    responses(
        (status = 200, description = "The market's figures", body = MarketStats),
        (status = 400, description = "A bad parameter", body = ErrorBody),
    )
)]
pub async fn market(State(state): State<AppState>, uri: Uri) -> Result<Json<MarketStats>, ApiError> {
    let query = QueryParams::parse(&uri, &["bucket", "from", "to", "mint"])?;
    let (bucket, buckets) = query.buckets(now())?;
    let mint = query.address("mint")?;
    let sums = state.store.market_sums(&buckets, mint.as_deref()).await?;
    let population = state.store.population().await?;
    let mut totals: BTreeMap<String, MarketTotals> = BTreeMap::new();
    let series = sums
        .into_iter()
        .map(|sums| {
            let point = market_point(sums);
            let total = totals
                .entry(point.figures.mint.clone())
                .or_insert_with(|| MarketTotals { mint: point.figures.mint.clone(), ..MarketTotals::default() });
            add_market(total, &point.figures);
            point
        })
        .collect();
    Ok(Json(MarketStats {
        bucket,
        from: buckets.from,
        to: buckets.to,
        totals: totals.into_values().collect(),
        series,
        providers: ProviderCounts {
            registered: unsigned(population.providers_registered),
            active: unsigned(population.providers_active),
        },
        clients: unsigned(population.clients),
    }))
}

fn market_point(sums: MarketSums) -> MarketPoint {
    MarketPoint {
        bucket_start: sums.bucket_start,
        figures: MarketTotals {
            mint: sums.mint,
            jobs_posted: unsigned(sums.jobs_posted),
            jobs_assigned: unsigned(sums.jobs_assigned),
            jobs_completed: unsigned(sums.jobs_completed),
            jobs_failed: unsigned(sums.jobs_failed),
            jobs_cancelled: unsigned(sums.jobs_cancelled),
            jobs_disputed: unsigned(sums.jobs_disputed),
            volume: unsigned(sums.volume),
            fees: unsigned(sums.fees),
            refunds: unsigned(sums.refunds),
        },
    }
}

fn add_market(total: &mut MarketTotals, point: &MarketTotals) {
    total.jobs_posted = total.jobs_posted.saturating_add(point.jobs_posted);
    total.jobs_assigned = total.jobs_assigned.saturating_add(point.jobs_assigned);
    total.jobs_completed = total.jobs_completed.saturating_add(point.jobs_completed);
    total.jobs_failed = total.jobs_failed.saturating_add(point.jobs_failed);
    total.jobs_cancelled = total.jobs_cancelled.saturating_add(point.jobs_cancelled);
    total.jobs_disputed = total.jobs_disputed.saturating_add(point.jobs_disputed);
    total.volume = total.volume.saturating_add(point.volume);
    total.fees = total.fees.saturating_add(point.fees);
    total.refunds = total.refunds.saturating_add(point.refunds);
}

/// Each bucket start of the range with the rows summed into it (none for an empty bucket).
fn per_bucket<T>(buckets: &Buckets, rows: Vec<T>, start: fn(&T) -> i64) -> Vec<(i64, Vec<T>)> {
    let mut grouped: BTreeMap<i64, Vec<T>> = BTreeMap::new();
    for row in rows {
        grouped.entry(start(&row)).or_default().push(row);
    }
    let count = usize::try_from((buckets.to - buckets.from) / buckets.size).unwrap_or(0);
    (0..count)
        .map(|i| {
            let bucket_start = buckets.from + i as i64 * buckets.size;
            (bucket_start, grouped.remove(&bucket_start).unwrap_or_default())
        })
        .collect()
}

/// A provider's work, earnings and uptime, one point per bucket.
#[utoipa::path(
    get,
    path = "/stats/providers/{authority}",
    tag = "stats",
    params(
        ("authority" = String, Path, description = "The provider's authority (base58)"),
        ("bucket" = Option<String>, Query, description = "hour or day (default day)"),
        ("from" = Option<u64>, Query, description = "Unix seconds, down to its bucket's start (default: to - 30 days)"),
        ("to" = Option<u64>, Query, description = "Unix seconds, exclusive, widened to a bucket's end (default: now)"),
    ),
    responses(
        (status = 200, description = "The provider's figures", body = ProviderStats),
        (status = 400, description = "A bad parameter", body = ErrorBody),
        (status = 404, description = "No provider with this authority is indexed", body = ErrorBody),
    )
)]
pub async fn provider(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Json<ProviderStats>, ApiError> {
    let authority = path_address(path, "authority")?;
    let query = QueryParams::parse(&uri, STATS_PARAMETERS)?;
    let now = now();
    let (bucket, buckets) = query.buckets(now)?;
    let provider = super::providers::find(&state, &authority).await?;
    let sums = state.store.provider_sums(&authority, &buckets).await?;
    let cores = provider.capacity.cpu_cores;

    let mut earnings = Amounts::default();
    let (mut completed, mut failed, mut busy) = (0u64, 0u64, 0u64);
    let series: Vec<ProviderPoint> = per_bucket(&buckets, sums, |s: &ProviderSums| s.bucket_start)
        .into_iter()
        .map(|(bucket_start, rows)| {
            let mut point_earnings = Amounts::default();
            let (mut point_completed, mut point_failed, mut point_busy, mut heartbeats, mut up_hours) = (0, 0, 0, 0, 0);
            for row in &rows {
                point_completed += unsigned(row.jobs_completed);
                point_failed += unsigned(row.jobs_failed);
                point_busy += unsigned(row.busy_core_secs);
                heartbeats += unsigned(row.heartbeats);
                up_hours += unsigned(row.up_hours);
                if !row.mint.is_empty() {
                    point_earnings.add(&row.mint, row.earnings);
                    earnings.add(&row.mint, row.earnings);
                }
            }
            completed += point_completed;
            failed += point_failed;
            busy += point_busy;
            ProviderPoint {
                bucket_start,
                jobs_completed: point_completed,
                jobs_failed: point_failed,
                completion_rate_bps: completion_rate(point_completed, point_failed),
                earnings: point_earnings.list(),
                busy_core_secs: point_busy,
                utilisation_bps: utilisation(point_busy, cores, buckets.size),
                heartbeats,
                up: up_hours > 0,
            }
        })
        .collect();

    // Uptime counts the hours of the range from the provider's registration up to the current hour.
    let since = buckets.from.max(provider.registered_at - provider.registered_at.rem_euclid(HOUR));
    let until = buckets.to.min(now - now.rem_euclid(HOUR) + HOUR);
    let hours = if until > since { (until - since) / HOUR } else { 0 };
    let up_hours = if hours > 0 { state.store.provider_up_hours(&authority, since, until).await? } else { 0 };
    let uptime_bps = bps(unsigned(up_hours), unsigned(hours)).unwrap_or(0);

    Ok(Json(ProviderStats {
        totals: ProviderTotals {
            jobs_completed: completed,
            jobs_failed: failed,
            completion_rate_bps: completion_rate(completed, failed),
            earnings: earnings.list(),
            busy_core_secs: busy,
            utilisation_bps: utilisation(busy, cores, buckets.to - buckets.from),
            uptime_bps,
        },
        provider,
        bucket,
        from: buckets.from,
        to: buckets.to,
        series,
    }))
}

/// A client's jobs and spending, one point per bucket.
#[utoipa::path(
    get,
    path = "/stats/clients/{authority}",
    tag = "stats",
    params(
        ("authority" = String, Path, description = "The client's wallet (base58)"),
        ("bucket" = Option<String>, Query, description = "hour or day (default day)"),
        ("from" = Option<u64>, Query, description = "Unix seconds, down to its bucket's start (default: to - 30 days)"),
        ("to" = Option<u64>, Query, description = "Unix seconds, exclusive, widened to a bucket's end (default: now)"),
    ),
    responses(
        (status = 200, description = "The client's figures", body = ClientStats),
        (status = 400, description = "A bad parameter", body = ErrorBody),
        (status = 404, description = "No client with this authority is indexed", body = ErrorBody),
    )
)]
pub async fn client(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Json<ClientStats>, ApiError> {
    let authority = path_address(path, "authority")?;
    let query = QueryParams::parse(&uri, STATS_PARAMETERS)?;
    let (bucket, buckets) = query.buckets(now())?;
    let client = state
        .store
        .client(&authority)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no client with authority {authority} is indexed")))?;
    let sums = state.store.client_sums(&authority, &buckets).await?;

    let (mut spent, mut fees, mut refunded) = (Amounts::default(), Amounts::default(), Amounts::default());
    let (mut posted, mut completed) = (0u64, 0u64);
    let series = per_bucket(&buckets, sums, |s: &ClientSums| s.bucket_start)
        .into_iter()
        .map(|(bucket_start, rows)| {
            let (mut point_spent, mut point_fees, mut point_refunded) =
                (Amounts::default(), Amounts::default(), Amounts::default());
            let (mut point_posted, mut point_completed) = (0u64, 0u64);
            for row in &rows {
                point_posted += unsigned(row.jobs_posted);
                point_completed += unsigned(row.jobs_completed);
                for (amounts, total, amount) in [
                    (&mut point_spent, &mut spent, row.spent),
                    (&mut point_fees, &mut fees, row.fees),
                    (&mut point_refunded, &mut refunded, row.refunded),
                ] {
                    amounts.add(&row.mint, amount);
                    total.add(&row.mint, amount);
                }
            }
            posted += point_posted;
            completed += point_completed;
            ClientPoint {
                bucket_start,
                jobs_posted: point_posted,
                jobs_completed: point_completed,
                spent: point_spent.list(),
                fees: point_fees.list(),
                refunded: point_refunded.list(),
            }
        })
        .collect();

    Ok(Json(ClientStats {
        client,
        bucket,
        from: buckets.from,
        to: buckets.to,
        totals: ClientTotals {
            jobs_posted: posted,
            jobs_completed: completed,
            spent: spent.list(),
            fees: fees.list(),
            refunded: refunded.list(),
        },
        series,
    }))
}
