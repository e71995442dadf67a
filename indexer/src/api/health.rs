//! `/health`: how far indexing got, answered from memory and two index lookups (O(1) at any size).
//!
//! `status` is judged by time, not by slots: the indexer only learns the node's slot at the end of a complete
//! pass and `indexed_slot` is the slot of the newest transaction of the program, which stands still while the
//! program is idle. A complete pass (every ~2 s) refreshes `caught_up_at`, so an index that has not caught up
//! for a minute is catching up (a long backfill) or failing (then `last_error` says why).

use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::Uri;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::params::QueryParams;
use super::AppState;

/// Seconds without a complete pass after which the index counts as catching up.
pub const CAUGHT_UP_WITHIN_SECS: i64 = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// Caught up within the last minute.
    Ok,
    /// Never caught up since it started, or not for a minute.
    CatchingUp,
    /// The last pass failed (`last_error`); it is retrying.
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Health {
    pub status: HealthStatus,
    /// The program indexed (base58).
    pub program: String,
    /// The node's confirmed slot at the last complete pass.
    pub node_slot: u64,
    /// The slot of the newest transaction indexed.
    pub indexed_slot: u64,
    /// The newest finalized slot seen; events at or below it are final.
    pub finalized_slot: u64,
    /// node_slot - indexed_slot: slots since the newest indexed transaction (it also grows while the program
    /// is idle; `status` says whether the index is behind).
    pub lag_slots: u64,
    /// Unix seconds of the last complete pass.
    pub caught_up_at: Option<i64>,
    pub seconds_since_caught_up: Option<i64>,
    /// Transactions of the program indexed (failed ones included).
    pub transactions: u64,
    /// Events indexed.
    pub events: u64,
    pub last_error: Option<String>,
}

/// The transaction count as counted once, and the ingest counter at that moment: later counts add what
/// ingest applied since instead of scanning the table again.
#[derive(Clone, Copy, Debug)]
pub(super) struct TransactionCount {
    counted: u64,
    applied_then: u64,
}

/// The indexer's progress.
#[utoipa::path(
    get,
    path = "/health",
    tag = "health",
    responses(
        (status = 200, description = "How far indexing got", body = Health),
        (status = 400, description = "A query parameter (this path takes none)", body = ErrorBody),
    )
)]
pub async fn health(State(state): State<AppState>, uri: Uri) -> Result<Json<Health>, ApiError> {
    QueryParams::parse(&uri, &[])?;
    let progress = state.progress.lock().map(|progress| progress.clone()).unwrap_or_else(|p| p.into_inner().clone());
    let known = state.transactions.lock().ok().and_then(|count| *count);
    let count = match known {
        Some(count) => count,
        None => {
            let count = TransactionCount {
                counted: state.store.transaction_count().await?,
                applied_then: progress.transactions_applied,
            };
            if let Ok(mut slot) = state.transactions.lock() {
                *slot = Some(count);
            }
            count
        }
    };
    let transactions = count.counted + progress.transactions_applied.saturating_sub(count.applied_then);
    let events = state.store.event_count().await?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let seconds_since_caught_up = progress.caught_up_at.map(|at| (now - at).max(0));
    let status = if progress.last_error.is_some() {
        HealthStatus::Error
    } else if seconds_since_caught_up.is_none_or(|seconds| seconds > CAUGHT_UP_WITHIN_SECS) {
        HealthStatus::CatchingUp
    } else {
        HealthStatus::Ok
    };
    Ok(Json(Health {
        status,
        program: state.program.to_string(),
        node_slot: progress.node_slot,
        indexed_slot: progress.indexed_slot,
        finalized_slot: progress.finalized_slot,
        lag_slots: progress.node_slot.saturating_sub(progress.indexed_slot),
        caught_up_at: progress.caught_up_at,
        seconds_since_caught_up,
        transactions,
        events,
        last_error: progress.last_error,
    }))
}
