//! `/jobs`, `/jobs/{address}` and the job's timeline `/jobs/{address}/events`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::events::EventPage;
use super::params::{path_address, QueryParams};
use super::AppState;
use crate::store::read::{Job, JobFilter, Page};

/// A page of jobs, newest post first.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobPage {
    pub items: Vec<Job>,
    /// Pass as `cursor` for the next page; null after the last.
    pub next_cursor: Option<String>,
}

impl From<Page<Job>> for JobPage {
    fn from(page: Page<Job>) -> Self {
        JobPage { items: page.items, next_cursor: page.next_cursor }
    }
}

/// The statuses a job's row can hold (the program's, plus `cancelled`).
pub const JOB_STATUSES: &[&str] =
    &["open", "assigned", "running", "submitted", "disputed", "completed", "expired", "resolved", "cancelled"];

/// Jobs, newest post first.
#[utoipa::path(
    get,
    path = "/jobs",
    tag = "jobs",
    params(
        ("client" = Option<String>, Query, description = "Only this client's jobs (base58)"),
        ("provider" = Option<String>, Query, description = "Only jobs assigned to this provider authority (base58)"),
        ("status" = Option<String>, Query,
            description = "open, assigned, running, submitted, disputed, completed, expired, resolved or cancelled"),
        ("mint" = Option<String>, Query,
            description = "Only jobs paid in this mint (11111111111111111111111111111111: lamports)"),
        ("limit" = Option<u64>, Query, description = "Items per page, 1-500 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The previous page's next_cursor"),
    ),
    responses(
        (status = 200, description = "A page of jobs", body = JobPage),
        (status = 400, description = "A bad parameter", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, uri: Uri) -> Result<Json<JobPage>, ApiError> {
    let query = QueryParams::parse(&uri, &["client", "provider", "status", "mint", "limit", "cursor"])?;
    let filter = JobFilter {
        client: query.address("client")?,
        provider: query.address("provider")?,
        status: query.word("status", JOB_STATUSES)?.map(str::to_string),
        mint: query.address("mint")?,
    };
    let page = query.page()?;
    Ok(Json(state.store.jobs(&filter, page).await?.into()))
}

/// One job, by its account's address.
#[utoipa::path(
    get,
    path = "/jobs/{address}",
    tag = "jobs",
    params(("address" = String, Path, description = "The job account's address (base58)")),
    responses(
        (status = 200, description = "The job", body = Job),
        (status = 400, description = "A bad parameter", body = ErrorBody),
        (status = 404, description = "No job at this address is indexed", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Json<Job>, ApiError> {
    let address = path_address(path, "address")?;
    QueryParams::parse(&uri, &[])?;
    let job = state.store.job(&address).await?;
    job.map(Json).ok_or_else(|| ApiError::not_found(format!("no job at {address} is indexed")))
}

/// A job's events, oldest first: its timeline.
#[utoipa::path(
    get,
    path = "/jobs/{address}/events",
    tag = "jobs",
    params(
        ("address" = String, Path, description = "The job account's address (base58)"),
        ("limit" = Option<u64>, Query, description = "Items per page, 1-500 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The previous page's next_cursor"),
    ),
    responses(
        (status = 200, description = "A page of the job's events, oldest first", body = EventPage),
        (status = 400, description = "A bad parameter", body = ErrorBody),
        (status = 404, description = "No event of a job at this address is indexed", body = ErrorBody),
    )
)]
pub async fn events(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Json<EventPage>, ApiError> {
    let address = path_address(path, "address")?;
    let query = QueryParams::parse(&uri, &["limit", "cursor"])?;
    let request = query.page()?;
    let page = state.store.job_events(&address, request).await?;
    // The first page of a job is never empty: its post is an event.
    if page.items.is_empty() && request.after.is_none() {
        return Err(ApiError::not_found(format!("no job at {address} is indexed")));
    }
    Ok(Json(page.into()))
}
