//! `/providers` and `/providers/{authority}`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::params::{path_address, QueryParams};
use super::AppState;
use crate::store::read::{Page, Provider, ProviderFilter};

/// A page of providers, newest registration first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderPage {
    pub items: Vec<Provider>,
    /// Pass as `cursor` for the next page; null after the last.
    pub next_cursor: Option<String>,
}

impl From<Page<Provider>> for ProviderPage {
    fn from(page: Page<Provider>) -> Self {
        ProviderPage { items: page.items, next_cursor: page.next_cursor }
    }
}

const LIST_PARAMETERS: &[&str] =
    &["active", "retired", "min_reputation", "min_cpu_cores", "min_ram_gb", "min_gpus", "limit", "cursor"];

/// Resource amounts are u16/u32 in the program.
const MAX_RESOURCE: u64 = u32::MAX as u64;

/// Providers, newest registration first.
#[utoipa::path(
    get,
    path = "/providers",
    tag = "providers",
    params(
        ("active" = Option<bool>, Query, description = "Only providers taking jobs (true) or not (false)"),
        ("retired" = Option<bool>, Query, description = "Only providers that closed their account (true) or not"),
        ("min_reputation" = Option<u64>, Query, description = "Reputation at least this, in basis points (0-10000)"),
        ("min_cpu_cores" = Option<u64>, Query, description = "Capacity of at least this many CPU cores"),
        ("min_ram_gb" = Option<u64>, Query, description = "Capacity of at least this much RAM (GB)"),
        ("min_gpus" = Option<u64>, Query, description = "Capacity of at least this many GPUs"),
        ("limit" = Option<u64>, Query, description = "Items per page, 1-500 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The previous page's next_cursor"),
    ),
    responses(
        (status = 200, description = "A page of providers", body = ProviderPage),
        (status = 400, description = "A bad parameter", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, uri: Uri) -> Result<Json<ProviderPage>, ApiError> {
    let query = QueryParams::parse(&uri, LIST_PARAMETERS)?;
    let resource = |name| query.integer(name, 0, MAX_RESOURCE).map(|n| n.map(|n| n as i64));
    let filter = ProviderFilter {
        active: query.boolean("active")?,
        retired: query.boolean("retired")?,
        min_reputation: query.integer("min_reputation", 0, 10_000)?.map(|n| n as i64),
        min_cpu_cores: resource("min_cpu_cores")?,
        min_ram_gb: resource("min_ram_gb")?,
        min_gpus: resource("min_gpus")?,
    };
    let page = query.page()?;
    Ok(Json(state.store.providers(&filter, page).await?.into()))
}

/// One provider, by its authority.
#[utoipa::path(
    get,
    path = "/providers/{authority}",
    tag = "providers",
    params(("authority" = String, Path, description = "The provider's authority (base58)")),
    responses(
        (status = 200, description = "The provider", body = Provider),
        (status = 400, description = "A bad parameter", body = ErrorBody),
        (status = 404, description = "No provider with this authority is indexed", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Json<Provider>, ApiError> {
    let authority = path_address(path, "authority")?;
    QueryParams::parse(&uri, &[])?;
    Ok(Json(find(&state, &authority).await?))
}

/// The provider with `authority`, or the 404 that says none is indexed.
pub(super) async fn find(state: &AppState, authority: &str) -> Result<Provider, ApiError> {
    state
        .store
        .provider(authority)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no provider with authority {authority} is indexed")))
}
