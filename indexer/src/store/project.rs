//! What each event changes in the derived tables: jobs, providers, clients and the hourly rollups. It
//! mirrors the program's own bookkeeping (settlement.rs): a completion or a ruling of at least
//! `DISPUTE_LOSS_BPS` for the provider counts as completed, a lost ruling or a start/result deadline
//! missed counts as failed, an unruled dispute as neither.

use anchor_lang::prelude::Pubkey;
use compute_market::constants::DISPUTE_LOSS_BPS;
use compute_market::events::{ExpiryReason, ReleaseReason};
use compute_market::state::Resources;
use sqlx::{Any, Row, Transaction};

use super::{big, StoreError};
use crate::events::{status_name, ProgramEvent as E, ToJson};

/// The keys an event is filed under (provider = the provider's authority).
#[derive(Default)]
pub(super) struct Keys {
    pub job: Option<String>,
    pub provider: Option<String>,
    pub client: Option<String>,
    pub mint: Option<String>,
}

pub(super) fn keys(event: &E) -> Keys {
    let s = |key: &Pubkey| Some(key.to_string());
    let job = |job: &Pubkey, client: &Pubkey, provider: Option<&Pubkey>, mint: Option<&Pubkey>| Keys {
        job: s(job),
        client: s(client),
        provider: provider.filter(|p| **p != Pubkey::default()).and_then(s),
        mint: mint.and_then(s),
    };
    match event {
        E::ProviderRegistered(e) => Keys { provider: s(&e.authority), ..Keys::default() },
        E::ProviderUpdated(e) => Keys { provider: s(&e.authority), ..Keys::default() },
        E::ProviderActivityChanged(e) => Keys { provider: s(&e.authority), ..Keys::default() },
        E::ProviderClosed(e) => Keys { provider: s(&e.authority), ..Keys::default() },
        E::EarningsWithdrawn(e) => Keys { provider: s(&e.authority), ..Keys::default() },
        E::ClientRegistered(e) => Keys { client: s(&e.authority), ..Keys::default() },
        E::JobPosted(e) => job(&e.job, &e.client, e.target_provider.as_ref(), Some(&e.payment_mint)),
        E::JobCancelled(e) => job(&e.job, &e.client, None, Some(&e.payment_mint)),
        E::JobAssigned(e) => job(&e.job, &e.client, Some(&e.provider), Some(&e.payment_mint)),
        E::JobReleased(e) => job(&e.job, &e.client, Some(&e.provider), None),
        E::JobStarted(e) => job(&e.job, &e.client, Some(&e.provider), None),
        E::JobExtended(e) => job(&e.job, &e.client, Some(&e.provider), Some(&e.payment_mint)),
        E::ResultSubmitted(e) => job(&e.job, &e.client, Some(&e.provider), None),
        E::JobCompleted(e) => job(&e.job, &e.client, Some(&e.provider), Some(&e.payment_mint)),
        E::JobDisputed(e) => job(&e.job, &e.client, Some(&e.provider), None),
        E::DisputeResolved(e) => job(&e.job, &e.client, Some(&e.provider), Some(&e.payment_mint)),
        E::JobExpired(e) => job(&e.job, &e.client, Some(&e.provider), Some(&e.payment_mint)),
        E::JobClosed(e) => job(&e.job, &e.client, None, None),
        E::PaymentMintAdded(e) => Keys { mint: s(&e.mint), ..Keys::default() },
        E::PaymentMintUpdated(e) => Keys { mint: s(&e.mint), ..Keys::default() },
        E::MintQuoteAdded(e) => Keys { mint: s(&e.mint), ..Keys::default() },
        E::MintQuoteUpdated(e) => Keys { mint: s(&e.mint), ..Keys::default() },
        E::MintQuoteRemoved(e) => Keys { mint: s(&e.mint), ..Keys::default() },
        E::BondDeposited(e) => Keys { provider: s(&e.provider), mint: s(&e.mint), ..Keys::default() },
        E::BondWithdrawalRequested(e) => Keys { provider: s(&e.provider), mint: s(&e.mint), ..Keys::default() },
        E::BondWithdrawn(e) => Keys { provider: s(&e.provider), mint: s(&e.mint), ..Keys::default() },
        E::MarketInitialized(_) | E::MarketUpdated(_) | E::AdminProposed(_) | E::AdminTransferred(_) => {
            Keys::default()
        }
        E::FeesCollected(_) => Keys::default(),
    }
}

/// A bound parameter.
enum P {
    I(i64),
    T(String),
    OptT(Option<String>),
    OptI(Option<i64>),
}

fn t(key: &Pubkey) -> P {
    P::T(key.to_string())
}

fn u(value: u64) -> P {
    P::I(big(value))
}

async fn exec(db: &mut Transaction<'_, Any>, sql: &str, params: Vec<P>) -> Result<(), StoreError> {
    let mut query = sqlx::query(sql);
    for param in params {
        query = match param {
            P::I(value) => query.bind(value),
            P::T(value) => query.bind(value),
            P::OptT(value) => query.bind(value),
            P::OptI(value) => query.bind(value),
        };
    }
    query.execute(&mut **db).await?;
    Ok(())
}

/// Unix seconds of the start of the hour `timestamp` falls in.
pub(crate) fn hour(timestamp: i64) -> i64 {
    timestamp - timestamp.rem_euclid(3_600)
}

/// The currency key of a job's amounts: the payment mint, or the system program's address for lamports.
fn currency(mint: &Pubkey) -> P {
    t(mint)
}

/// Adds `values` to the `counters` of the `table` row keyed by `keys` (bound to `key_values`), creating it
/// when it is the bucket's first.
async fn add_to_rollup(
    db: &mut Transaction<'_, Any>,
    table: &str,
    keys: &[&str],
    key_values: Vec<P>,
    counters: &[&str],
    values: &[i64],
) -> Result<(), StoreError> {
    let columns: Vec<&str> = keys.iter().chain(counters).copied().collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
    let sums: Vec<String> = counters.iter().map(|c| format!("{c} = {table}.{c} + excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
        columns.join(", "),
        placeholders.join(", "),
        keys.join(", "),
        sums.join(", ")
    );
    let mut params = key_values;
    params.extend(values.iter().map(|&v| P::I(v)));
    exec(db, &sql, params).await
}

/// Adds to one market rollup row: (posted, assigned, completed, failed, cancelled, disputed, volume, fees,
/// refunds).
async fn market(db: &mut Transaction<'_, Any>, at: i64, mint: &Pubkey, add: [i64; 9]) -> Result<(), StoreError> {
    const COUNTERS: [&str; 9] = [
        "jobs_posted", "jobs_assigned", "jobs_completed", "jobs_failed", "jobs_cancelled", "jobs_disputed", "volume",
        "fees", "refunds",
    ];
    add_to_rollup(db, "market_hourly", &["bucket", "mint"], vec![P::I(hour(at)), currency(mint)], &COUNTERS, &add).await
}

/// Adds to one provider rollup row: (completed, failed, earnings, busy core-seconds, heartbeats).
async fn provider_hour(
    db: &mut Transaction<'_, Any>,
    authority: &Pubkey,
    at: i64,
    mint: Option<&Pubkey>,
    add: [i64; 5],
) -> Result<(), StoreError> {
    const COUNTERS: [&str; 5] = ["jobs_completed", "jobs_failed", "earnings", "busy_core_secs", "heartbeats"];
    let key_values = vec![t(authority), P::I(hour(at)), mint.map_or(P::T(String::new()), currency)];
    add_to_rollup(db, "provider_hourly", &["authority", "bucket", "mint"], key_values, &COUNTERS, &add).await
}

/// Adds to one client rollup row: (posted, completed, spent, fees, refunded).
async fn client_hour(
    db: &mut Transaction<'_, Any>,
    authority: &Pubkey,
    at: i64,
    mint: &Pubkey,
    add: [i64; 5],
) -> Result<(), StoreError> {
    const COUNTERS: [&str; 5] = ["jobs_posted", "jobs_completed", "spent", "fees", "refunded"];
    let key_values = vec![t(authority), P::I(hour(at)), currency(mint)];
    add_to_rollup(db, "client_hourly", &["authority", "bucket", "mint"], key_values, &COUNTERS, &add).await
}

/// A client's row, created at its first event (a profile may predate the index's first transaction).
async fn ensure_client(db: &mut Transaction<'_, Any>, authority: &Pubkey, at: i64, id: i64) -> Result<(), StoreError> {
    let profile = compute_market_client::pda::client_profile(authority);
    exec(
        db,
        "INSERT INTO clients (authority, profile, jobs_posted, jobs_completed, jobs_cancelled, jobs_expired, \
         jobs_disputed, lamports_spent, registered_at, registered_event) VALUES ($1, $2, 0, 0, 0, 0, 0, 0, $3, $4) \
         ON CONFLICT (authority) DO NOTHING",
        vec![t(authority), t(&profile), P::I(at), P::I(id)],
    )
    .await
}

/// Counts one more job in `column` (if any) for a client and adds to what it spent in lamports.
async fn client_counts(
    db: &mut Transaction<'_, Any>,
    authority: &Pubkey,
    column: Option<&str>,
    spent: i64,
) -> Result<(), StoreError> {
    let count = column.map(|column| format!("{column} = {column} + 1, ")).unwrap_or_default();
    let sql = format!("UPDATE clients SET {count}lamports_spent = lamports_spent + $2 WHERE authority = $1");
    exec(db, &sql, vec![t(authority), P::I(spent)]).await
}

async fn job_set(db: &mut Transaction<'_, Any>, job: &Pubkey, assignments: &str, mut params: Vec<P>, id: i64) -> Result<(), StoreError> {
    let n = params.len();
    let sql = format!("UPDATE jobs SET {assignments}, last_event = ${} WHERE address = ${}", n + 1, n + 2);
    params.push(P::I(id));
    params.push(t(job));
    exec(db, &sql, params).await
}

/// Returns (or adds back) a job's requirements to its provider's free resources.
async fn provider_free(db: &mut Transaction<'_, Any>, authority: &Pubkey, r: &Resources, sign: i64) -> Result<(), StoreError> {
    exec(
        db,
        "UPDATE providers SET free_cpu_cores = free_cpu_cores + $2, free_ram_gb = free_ram_gb + $3, \
         free_storage_gb = free_storage_gb + $4, free_gpus = free_gpus + $5 WHERE authority = $1",
        vec![
            t(authority),
            P::I(sign * i64::from(r.cpu_cores)),
            P::I(sign * i64::from(r.ram_gb)),
            P::I(sign * i64::from(r.storage_gb)),
            P::I(sign * i64::from(r.gpus)),
        ],
    )
    .await
}

async fn job_requirements(db: &mut Transaction<'_, Any>, job: &Pubkey) -> Result<Option<(Resources, Option<i64>)>, StoreError> {
    let row = sqlx::query("SELECT cpu_cores, ram_gb, storage_gb, gpus, started_at FROM jobs WHERE address = $1")
        .bind(job.to_string())
        .fetch_optional(&mut **db)
        .await?;
    Ok(row.map(|row| {
        let n = |i: usize| row.get::<i64, _>(i);
        let resources = Resources {
            cpu_cores: n(0) as u16,
            ram_gb: n(1) as u32,
            storage_gb: n(2) as u32,
            gpus: n(3) as u16,
        };
        (resources, row.get::<Option<i64>, _>(4))
    }))
}

/// How a settled job counted for its provider.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Count {
    Completed,
    Failed,
    Neither,
}

/// A settlement's amounts: what the provider earned (paid now or held), the fee, and what the client got
/// back (refund and any token surplus).
struct Settled {
    job: Pubkey,
    client: Pubkey,
    provider: Pubkey,
    mint: Pubkey,
    payout: u64,
    fee: u64,
    returned: u64,
    /// Slashed from the provider's bond to the client.
    bond_slashed: u64,
    reputation: u16,
    at: i64,
}

async fn settle(
    db: &mut Transaction<'_, Any>,
    s: Settled,
    status: &str,
    outcome: &str,
    rating: Option<u8>,
    count: Count,
    id: i64,
) -> Result<(), StoreError> {
    let lamports = s.mint == Pubkey::default();
    let payout = big(s.payout);
    let fee = big(s.fee);
    let returned = big(s.returned);
    job_set(
        db,
        &s.job,
        "status = $1, outcome = $2, provider_payout = $3, fee = $4, refund = refund + $5, rating = $6, settled_at = $7, \
         escrow = 0, bond_slashed = $8",
        vec![
            P::T(status.into()),
            P::T(outcome.into()),
            P::I(payout),
            P::I(fee),
            P::I(returned),
            P::OptI(rating.map(i64::from)),
            P::I(s.at),
            u(s.bond_slashed),
        ],
        id,
    )
    .await?;
    if let Some((requirements, _)) = job_requirements(db, &s.job).await? {
        provider_free(db, &s.provider, &requirements, 1).await?;
    }
    let (completed, failed) = (i64::from(count == Count::Completed), i64::from(count == Count::Failed));
    exec(
        db,
        "UPDATE providers SET reputation = $2, jobs_completed = jobs_completed + $3, jobs_failed = jobs_failed + $4, \
         lamports_earned = lamports_earned + $5 WHERE authority = $1",
        vec![t(&s.provider), P::I(i64::from(s.reputation)), P::I(completed), P::I(failed), P::I(if lamports { payout } else { 0 })],
    )
    .await?;
    provider_hour(db, &s.provider, s.at, Some(&s.mint), [completed, failed, payout, 0, 0]).await?;
    ensure_client(db, &s.client, s.at, id).await?;
    let spent = payout.saturating_add(fee);
    let column = match status {
        "completed" => Some("jobs_completed"),
        "expired" => Some("jobs_expired"),
        _ => None,
    };
    client_counts(db, &s.client, column, if lamports { spent } else { 0 }).await?;
    let client_completed = i64::from(status == "completed");
    client_hour(db, &s.client, s.at, &s.mint, [0, client_completed, spent, fee, returned]).await?;
    market(db, s.at, &s.mint, [0, 0, client_completed, failed, 0, 0, spent, fee, returned]).await
}

/// Applies one new event (number `id`) to the derived tables.
pub(super) async fn apply(db: &mut Transaction<'_, Any>, event: &E, id: i64) -> Result<(), StoreError> {
    match event {
        E::ProviderRegistered(e) => {
            let c = &e.capacity;
            exec(
                db,
                "INSERT INTO providers (authority, account, cpu_cores, ram_gb, storage_gb, gpus, free_cpu_cores, \
                 free_ram_gb, free_storage_gb, free_gpus, rates, metadata_uri, assignment, active, retired, reputation, \
                 jobs_assigned, jobs_completed, jobs_failed, lamports_earned, registered_at, last_heartbeat_at, \
                 registered_event) VALUES ($1, $2, $3, $4, $5, $6, $3, $4, $5, $6, $7, $8, $9, 1, 0, $10, 0, 0, 0, 0, \
                 $11, $11, $12) ON CONFLICT (authority) DO UPDATE SET cpu_cores = excluded.cpu_cores, \
                 ram_gb = excluded.ram_gb, storage_gb = excluded.storage_gb, gpus = excluded.gpus, \
                 free_cpu_cores = excluded.cpu_cores, free_ram_gb = excluded.ram_gb, \
                 free_storage_gb = excluded.storage_gb, free_gpus = excluded.gpus, rates = excluded.rates, \
                 metadata_uri = excluded.metadata_uri, assignment = excluded.assignment, active = 1, retired = 0, \
                 reputation = excluded.reputation, last_heartbeat_at = excluded.last_heartbeat_at",
                vec![
                    t(&e.authority),
                    t(&e.provider),
                    P::I(c.cpu_cores.into()),
                    P::I(c.ram_gb.into()),
                    P::I(c.storage_gb.into()),
                    P::I(c.gpus.into()),
                    P::T(e.rates.to_json().to_string()),
                    P::T(e.metadata_uri.clone()),
                    P::I(e.assignment.into()),
                    P::I(e.reputation.into()),
                    P::I(e.timestamp),
                    P::I(id),
                ],
            )
            .await?;
            provider_hour(db, &e.authority, e.timestamp, None, [0, 0, 0, 0, 1]).await
        }
        E::ProviderUpdated(e) => {
            let (c, f) = (&e.capacity, &e.free);
            exec(
                db,
                "UPDATE providers SET cpu_cores = $2, ram_gb = $3, storage_gb = $4, gpus = $5, free_cpu_cores = $6, \
                 free_ram_gb = $7, free_storage_gb = $8, free_gpus = $9, rates = $10, metadata_uri = $11, \
                 assignment = $12, last_heartbeat_at = $13 WHERE authority = $1",
                vec![
                    t(&e.authority),
                    P::I(c.cpu_cores.into()),
                    P::I(c.ram_gb.into()),
                    P::I(c.storage_gb.into()),
                    P::I(c.gpus.into()),
                    P::I(f.cpu_cores.into()),
                    P::I(f.ram_gb.into()),
                    P::I(f.storage_gb.into()),
                    P::I(f.gpus.into()),
                    P::T(e.rates.to_json().to_string()),
                    P::T(e.metadata_uri.clone()),
                    P::I(e.assignment.into()),
                    P::I(e.timestamp),
                ],
            )
            .await?;
            provider_hour(db, &e.authority, e.timestamp, None, [0, 0, 0, 0, 1]).await
        }
        E::ProviderActivityChanged(e) => {
            let heartbeat = if e.active { ", last_heartbeat_at = $3" } else { "" };
            let sql = format!("UPDATE providers SET active = $2{heartbeat} WHERE authority = $1");
            let mut params = vec![t(&e.authority), P::I(e.active.into())];
            if e.active {
                params.push(P::I(e.timestamp));
            }
            exec(db, &sql, params).await?;
            if e.active {
                provider_hour(db, &e.authority, e.timestamp, None, [0, 0, 0, 0, 1]).await?;
            }
            Ok(())
        }
        E::ProviderClosed(e) => {
            exec(
                db,
                "UPDATE providers SET active = 0, retired = 1, reputation = $2 WHERE authority = $1",
                vec![t(&e.authority), P::I(e.reputation.into())],
            )
            .await
        }
        E::ClientRegistered(e) => ensure_client(db, &e.authority, e.timestamp, id).await,
        E::JobPosted(e) => {
            let r = &e.requirements;
            exec(db, "DELETE FROM jobs WHERE address = $1", vec![t(&e.job)]).await?;
            exec(
                db,
                "INSERT INTO jobs (address, client, provider, job_id, mint, status, cpu_cores, ram_gb, storage_gb, gpus, \
                 duration_secs, max_price_per_hour, agreed_price_per_hour, escrow, min_reputation, target_provider, \
                 spec_hash, fee_bps, provider_payout, fee, refund, rating, outcome, posted_at, assigned_at, started_at, \
                 submitted_at, settled_at, closed, posted_event, last_event, min_bond, slash_bps) VALUES ($1, $2, NULL, $3, \
                 $4, 'open', $5, $6, $7, $8, $9, $10, NULL, $11, $12, $13, $14, $15, 0, 0, 0, NULL, NULL, $16, NULL, NULL, \
                 NULL, NULL, 0, $17, $17, $18, $19)",
                vec![
                    t(&e.job),
                    t(&e.client),
                    u(e.job_id),
                    t(&e.payment_mint),
                    P::I(r.cpu_cores.into()),
                    P::I(r.ram_gb.into()),
                    P::I(r.storage_gb.into()),
                    P::I(r.gpus.into()),
                    P::I(e.duration_secs.into()),
                    u(e.max_price_per_hour),
                    u(e.escrow),
                    P::I(e.min_reputation.into()),
                    P::OptT(e.target_provider.map(|p| p.to_string())),
                    P::T(e.spec_hash.to_json().as_str().unwrap_or_default().to_string()),
                    P::I(e.fee_bps.into()),
                    P::I(e.timestamp),
                    P::I(id),
                    u(e.min_bond),
                    P::I(e.slash_bps.into()),
                ],
            )
            .await?;
            ensure_client(db, &e.client, e.timestamp, id).await?;
            client_counts(db, &e.client, Some("jobs_posted"), 0).await?;
            client_hour(db, &e.client, e.timestamp, &e.payment_mint, [1, 0, 0, 0, 0]).await?;
            market(db, e.timestamp, &e.payment_mint, [1, 0, 0, 0, 0, 0, 0, 0, 0]).await
        }
        E::JobAssigned(e) => {
            job_set(
                db,
                &e.job,
                "provider = $1, agreed_price_per_hour = $2, escrow = $3, status = 'assigned', assigned_at = $4, \
                 refund = refund + $5",
                vec![t(&e.provider), u(e.agreed_price_per_hour), u(e.escrow), P::I(e.timestamp), u(e.refund)],
                id,
            )
            .await?;
            if let Some((requirements, _)) = job_requirements(db, &e.job).await? {
                provider_free(db, &e.provider, &requirements, -1).await?;
            }
            exec(db, "UPDATE providers SET jobs_assigned = jobs_assigned + 1 WHERE authority = $1", vec![t(&e.provider)]).await?;
            client_hour(db, &e.client, e.timestamp, &e.payment_mint, [0, 0, 0, 0, big(e.refund)]).await?;
            market(db, e.timestamp, &e.payment_mint, [0, 1, 0, 0, 0, 0, 0, 0, big(e.refund)]).await
        }
        E::JobReleased(e) => {
            if let Some((requirements, _)) = job_requirements(db, &e.job).await? {
                provider_free(db, &e.provider, &requirements, 1).await?;
            }
            let outcome = match e.reason {
                ReleaseReason::Declined => "declined",
                ReleaseReason::TakenBack => "taken_back",
            };
            job_set(
                db,
                &e.job,
                "provider = NULL, agreed_price_per_hour = NULL, assigned_at = NULL, status = 'open', escrow = $1, \
                 max_price_per_hour = $2, outcome = $3",
                vec![u(e.escrow), u(e.max_price_per_hour), P::T(outcome.into())],
                id,
            )
            .await
        }
        E::JobStarted(e) => job_set(db, &e.job, "status = 'running', started_at = $1", vec![P::I(e.timestamp)], id).await,
        E::JobExtended(e) => {
            job_set(db, &e.job, "duration_secs = $1, escrow = $2", vec![P::I(i64::from(e.duration_secs)), u(e.escrow)], id).await
        }
        E::ResultSubmitted(e) => {
            job_set(db, &e.job, "status = 'submitted', submitted_at = $1", vec![P::I(e.timestamp)], id).await?;
            let row = sqlx::query("SELECT mint FROM jobs WHERE address = $1")
                .bind(e.job.to_string())
                .fetch_optional(&mut **db)
                .await?;
            if let (Some((requirements, Some(started))), Some(row)) = (job_requirements(db, &e.job).await?, row) {
                let mint: Pubkey = row.get::<String, _>(0).parse().unwrap_or_default();
                let core_secs = (e.timestamp - started).max(0) * i64::from(requirements.cpu_cores);
                provider_hour(db, &e.provider, e.timestamp, Some(&mint), [0, 0, 0, core_secs, 0]).await?;
            }
            Ok(())
        }
        E::JobDisputed(e) => {
            job_set(db, &e.job, "status = 'disputed'", vec![], id).await?;
            ensure_client(db, &e.client, e.timestamp, id).await?;
            exec(db, "UPDATE clients SET jobs_disputed = jobs_disputed + 1 WHERE authority = $1", vec![t(&e.client)]).await?;
            let mint = job_mint(db, &e.job).await?;
            market(db, e.timestamp, &mint, [0, 0, 0, 0, 0, 1, 0, 0, 0]).await
        }
        E::JobCompleted(e) => {
            let settled = Settled {
                job: e.job,
                client: e.client,
                provider: e.provider,
                mint: e.payment_mint,
                payout: e.provider_payout.saturating_add(e.provider_payout_held),
                fee: e.fee,
                returned: e.refund.saturating_add(e.surplus),
                bond_slashed: 0,
                reputation: e.provider_reputation,
                at: e.timestamp,
            };
            let outcome = if e.auto_released { "auto_released" } else { "accepted" };
            settle(db, settled, status_name(compute_market::state::JobStatus::Completed), outcome, e.rating, Count::Completed, id).await
        }
        E::DisputeResolved(e) => {
            let settled = Settled {
                job: e.job,
                client: e.client,
                provider: e.provider,
                mint: e.payment_mint,
                payout: e.provider_payout.saturating_add(e.provider_payout_held),
                fee: e.fee,
                returned: e.refund.saturating_add(e.surplus),
                bond_slashed: e.bond_slashed,
                reputation: e.provider_reputation,
                at: e.timestamp,
            };
            let count = if e.provider_bps >= DISPUTE_LOSS_BPS { Count::Completed } else { Count::Failed };
            settle(db, settled, "resolved", "ruled", None, count, id).await
        }
        E::JobExpired(e) => {
            let settled = Settled {
                job: e.job,
                client: e.client,
                provider: e.provider,
                mint: e.payment_mint,
                payout: e.provider_payout.saturating_add(e.provider_payout_held),
                fee: e.fee,
                returned: e.refund.saturating_add(e.surplus),
                bond_slashed: e.bond_slashed,
                reputation: e.provider_reputation,
                at: e.timestamp,
            };
            let (outcome, count) = match e.reason {
                ExpiryReason::NotStarted => ("not_started", Count::Failed),
                ExpiryReason::NoResult => ("no_result", Count::Failed),
                ExpiryReason::DisputeUnresolved => ("dispute_unresolved", Count::Neither),
            };
            settle(db, settled, "expired", outcome, None, count, id).await
        }
        E::JobCancelled(e) => {
            let returned = big(e.refund.saturating_add(e.surplus));
            job_set(
                db,
                &e.job,
                "status = 'cancelled', outcome = 'cancelled', refund = refund + $1, settled_at = $2, closed = 1, \
                 escrow = 0",
                vec![P::I(returned), P::I(e.timestamp)],
                id,
            )
            .await?;
            ensure_client(db, &e.client, e.timestamp, id).await?;
            client_counts(db, &e.client, Some("jobs_cancelled"), 0).await?;
            client_hour(db, &e.client, e.timestamp, &e.payment_mint, [0, 0, 0, 0, returned]).await?;
            market(db, e.timestamp, &e.payment_mint, [0, 0, 0, 0, 1, 0, 0, 0, returned]).await
        }
        E::JobClosed(e) => job_set(db, &e.job, "closed = 1", vec![], id).await,
        E::MarketInitialized(_)
        | E::MarketUpdated(_)
        | E::AdminProposed(_)
        | E::AdminTransferred(_)
        | E::FeesCollected(_)
        | E::EarningsWithdrawn(_)
        | E::PaymentMintAdded(_)
        | E::PaymentMintUpdated(_)
        | E::MintQuoteAdded(_)
        | E::MintQuoteUpdated(_)
        | E::MintQuoteRemoved(_)
        | E::BondDeposited(_)
        | E::BondWithdrawalRequested(_)
        | E::BondWithdrawn(_) => Ok(()),
    }
}

async fn job_mint(db: &mut Transaction<'_, Any>, job: &Pubkey) -> Result<Pubkey, StoreError> {
    let row = sqlx::query("SELECT mint FROM jobs WHERE address = $1").bind(job.to_string()).fetch_optional(&mut **db).await?;
    Ok(row.and_then(|row| row.get::<String, _>(0).parse().ok()).unwrap_or_default())
}
