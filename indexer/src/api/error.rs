//! The API's failures as JSON: a bad parameter names itself (`400 {"error", "parameter"}`), an address with
//! nothing indexed or an unknown path is `404 {"error"}`, a database failure is `500 {"error"}` (its detail is
//! logged, not shown).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::StoreError;

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ErrorBody {
    /// `<parameter>: <what is wrong>` for a bad parameter, a sentence otherwise.
    pub error: String,
    /// The query or path parameter at fault (400 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    /// A bad parameter: `400 {"error": "<parameter>: <what>", "parameter": "<parameter>"}`.
    pub fn bad(parameter: &str, what: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            body: ErrorBody { error: format!("{parameter}: {what}"), parameter: Some(parameter.to_string()) },
        }
    }

    pub fn not_found(error: String) -> ApiError {
        ApiError { status: StatusCode::NOT_FOUND, body: ErrorBody { error, parameter: None } }
    }

    pub fn method_not_allowed() -> ApiError {
        let error = "only GET is served".to_string();
        ApiError { status: StatusCode::METHOD_NOT_ALLOWED, body: ErrorBody { error, parameter: None } }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        eprintln!("indexer API: {error}");
        let error = "the index database failed to answer".to_string();
        ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, body: ErrorBody { error, parameter: None } }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}
