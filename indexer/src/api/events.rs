//! `/events`: every event of the program, newest first.

use axum::extract::State;
use axum::http::Uri;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::params::QueryParams;
use super::AppState;
use crate::events::ProgramEvent;
use crate::store::read::{Event, EventFilter, Page};

/// A page of events.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<Event>,
    /// Pass as `cursor` for the next page; null after the last.
    pub next_cursor: Option<String>,
}

impl From<Page<Event>> for EventPage {
    fn from(page: Page<Event>) -> Self {
        EventPage { items: page.items, next_cursor: page.next_cursor }
    }
}


/// Events, newest first.
#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    params(
        ("name" = Option<String>, Query, description = "Only events of this name, e.g. JobPosted"),
        ("job" = Option<String>, Query, description = "Only events of this job (base58)"),
        ("client" = Option<String>, Query, description = "Only events of this client's jobs or profile (base58)"),
        ("provider" = Option<String>, Query, description = "Only events of this provider authority (base58)"),
        ("limit" = Option<u64>, Query, description = "Items per page, 1-500 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The previous page's next_cursor"),
    ),
    responses(
        (status = 200, description = "A page of events, newest first", body = EventPage),
        (status = 400, description = "A bad parameter", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, uri: Uri) -> Result<Json<EventPage>, ApiError> {
    let query = QueryParams::parse(&uri, &["name", "job", "client", "provider", "limit", "cursor"])?;
    let filter = EventFilter {
        name: query.word("name", ProgramEvent::NAMES)?.map(str::to_string),
        job: query.address("job")?,
        client: query.address("client")?,
        provider: query.address("provider")?,
    };
    let page = query.page()?;
    Ok(Json(state.store.events(&filter, page).await?.into()))
}
