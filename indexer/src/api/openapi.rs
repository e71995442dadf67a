//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` and the shapes' `ToSchema`,
//! served at `/openapi.json`.

use std::sync::OnceLock;

use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa::OpenApi;

use super::error::{ApiError, ErrorBody};
use super::params::{Bucket, QueryParams};
use super::{events, health, jobs, providers, stats};
use crate::store::read::{Client, Event, Job, Provider, Rates, Resources};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "compute_market index",
        description = "What the indexer holds of compute_market, as JSON (docs/API.md). GET only; amounts are integers \
                       in their currency's base units; lists are keyset-paginated with limit and cursor.",
    ),
    paths(
        health::health,
        providers::list,
        providers::get,
        jobs::list,
        jobs::get,
        jobs::events,
        events::list,
        stats::market,
        stats::provider,
        stats::client,
    ),
    components(schemas(
        ErrorBody,
        Resources,
        Rates,
        Provider,
        Job,
        Event,
        Client,
        Bucket,
        health::Health,
        health::HealthStatus,
        providers::ProviderPage,
        jobs::JobPage,
        events::EventPage,
        stats::MintAmount,
        stats::MarketTotals,
        stats::MarketPoint,
        stats::ProviderCounts,
        stats::MarketStats,
        stats::ProviderTotals,
        stats::ProviderPoint,
        stats::ProviderStats,
        stats::ClientTotals,
        stats::ClientPoint,
        stats::ClientStats,
    ))
)]
pub struct ApiDoc;

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(ApiDoc::openapi)
}

pub async fn serve(uri: Uri) -> Result<Response, ApiError> {
    QueryParams::parse(&uri, &[])?;
    Ok(Json(document()).into_response())
}
