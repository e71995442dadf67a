//! The REST API over the index (docs/API.md is its contract): GET only, JSON answers, every one with
//! `Access-Control-Allow-Origin: *`, the OpenAPI document at `/openapi.json`. Serve the router with
//! `axum::serve(listener, router(...))`.

mod error;
mod events;
mod health;
mod jobs;
mod openapi;
mod params;
mod providers;
mod stats;

use std::sync::{Arc, Mutex};

use anchor_lang::prelude::Pubkey;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ALLOW};
use axum::http::{HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub use error::ErrorBody;
pub use openapi::{document, ApiDoc};

use crate::ingest::SharedProgress;
use crate::store::Store;
use error::ApiError;

/// What every handler reads.
#[derive(Clone)]
pub struct AppState {
    store: Store,
    progress: SharedProgress,
    program: Pubkey,
    /// /health's transaction count, counted on its first call.
    transactions: Arc<Mutex<Option<health::TransactionCount>>>,
}

/// Every endpoint of docs/API.md over `store`; `/health` reports `progress` for `program`.
pub fn router(store: Store, progress: SharedProgress, program: Pubkey) -> Router {
    let state = AppState { store, progress, program, transactions: Arc::default() };
    Router::new()
        .route("/health", get(health::health))
        .route("/providers", get(providers::list))
        .route("/providers/{authority}", get(providers::get))
        .route("/jobs", get(jobs::list))
        .route("/jobs/{address}", get(jobs::get))
        .route("/jobs/{address}/events", get(jobs::events))
        .route("/events", get(events::list))
        .route("/stats/market", get(stats::market))
        .route("/stats/providers/{authority}", get(stats::provider))
        .route("/stats/clients/{authority}", get(stats::client))
        .route("/openapi.json", get(openapi::serve))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(axum::middleware::map_response(allow_any_origin))
}

async fn not_found(uri: Uri) -> ApiError {
    let path: String = uri.path().chars().take(200).collect();
    ApiError::not_found(format!("no such path: {path} (see /openapi.json)"))
}

async fn method_not_allowed() -> Response {
    let mut response = ApiError::method_not_allowed().into_response();
    response.headers_mut().insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

/// Any web page may read the index: it is public data.
async fn allow_any_origin(mut response: Response) -> Response {
    response.headers_mut().insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}
