//! A client of the indexer's REST API (docs/API.md): typed answers, lists followed page by page up to a
//! limit, and the server's own error messages surfaced.

mod queries;
mod records;

use std::fmt;
use std::time::Duration;

use serde::de::DeserializeOwned;

pub use queries::{url, Bucket, EventQuery, JobQuery, Params, ProviderQuery, StatsRange, JOB_STATUSES, MAX_PAGE};
pub use records::*;

/// How long one request may take, and connecting to the server.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexApiError {
    /// Nothing answered, or the answer could not be read.
    Unreachable { base: String, message: String },
    /// 400: a parameter the server refused, with its message.
    BadParameter { parameter: Option<String>, message: String },
    /// 404: nothing indexed at the address (or no such path).
    NotFound { url: String, message: String },
    /// Any other status, with the server's message when it gave one.
    Server { status: u16, url: String, message: String },
    /// A 200 whose body is not the documented shape.
    Malformed { url: String, message: String },
    /// A base URL or argument refused before anything was sent.
    Invalid(String),
}

impl fmt::Display for IndexApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexApiError::Unreachable { base, message } => write!(f, "no index API answers at {base} ({message})"),
            IndexApiError::BadParameter { message, .. } => write!(f, "the index API refused the request: {message}"),
            IndexApiError::NotFound { message, .. } => write!(f, "not in the index: {message}"),
            IndexApiError::Server { status, url, message } => write!(f, "the index API answered {status} for {url}: {message}"),
            IndexApiError::Malformed { url, message } => write!(f, "the index API's answer to {url} is not what docs/API.md says: {message}"),
            IndexApiError::Invalid(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for IndexApiError {}

/// The error a non-200 answer stands for: its `{"error", "parameter"}` body when it has one, else its text.
pub fn error_for(status: u16, url: &str, body: &str) -> IndexApiError {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        error: String,
        #[serde(default)]
        parameter: Option<String>,
    }
    let parsed: Option<ErrorBody> = serde_json::from_str(body).ok();
    let message = match &parsed {
        Some(body) => body.error.clone(),
        None if body.trim().is_empty() => "no message".to_string(),
        None => body.trim().chars().take(300).collect(),
    };
    match status {
        400 => IndexApiError::BadParameter { parameter: parsed.and_then(|b| b.parameter), message },
        404 => IndexApiError::NotFound { url: url.to_string(), message },
        _ => IndexApiError::Server { status, url: url.to_string(), message },
    }
}

/// A 200's body as `T`.
pub fn parse<T: DeserializeOwned>(url: &str, body: &str) -> Result<T, IndexApiError> {
    serde_json::from_str(body).map_err(|e| IndexApiError::Malformed { url: url.to_string(), message: e.to_string() })
}

pub struct IndexApi {
    base: String,
    http: reqwest::blocking::Client,
}

impl IndexApi {
    /// A client of the API at `base` (e.g. `http://127.0.0.1:8901`); nothing is sent yet.
    pub fn new(base: &str) -> Result<IndexApi, IndexApiError> {
        url(base, "/health", &[], None).map_err(IndexApiError::Invalid)?;
        let http = reqwest::blocking::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(|e| IndexApiError::Invalid(format!("http client: {e}")))?;
        Ok(IndexApi { base: base.trim_end_matches('/').to_string(), http })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn get<T: DeserializeOwned>(&self, path: &str, params: &[(&'static str, String)], page: Option<(usize, Option<&str>)>) -> Result<T, IndexApiError> {
        let url = url(&self.base, path, params, page).map_err(IndexApiError::Invalid)?;
        let unreachable = |e: reqwest::Error| IndexApiError::Unreachable { base: self.base.clone(), message: e.to_string() };
        let response = self.http.get(url.clone()).send().map_err(unreachable)?;
        let status = response.status().as_u16();
        let body = response.text().map_err(unreachable)?;
        if status != 200 {
            return Err(error_for(status, url.as_str(), &body));
        }
        parse(url.as_str(), &body)
    }

    /// Items of a list, page after page, until `limit` are kept or the list ends; `keep` drops what a
    /// filter the API lacks refuses.
    fn collect<T: DeserializeOwned>(&self, path: &str, params: &[(&'static str, String)], limit: usize, keep: impl Fn(&T) -> bool) -> Result<Vec<T>, IndexApiError> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        while items.len() < limit {
            let page: Page<T> = self.get(path, params, Some((limit - items.len(), cursor.as_deref())))?;
            items.extend(page.items.into_iter().filter(|item| keep(item)));
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        items.truncate(limit);
        Ok(items)
    }

    pub fn health(&self) -> Result<Health, IndexApiError> {
        self.get("/health", &[], None)
    }

    /// Up to `limit` providers, newest registration first.
    pub fn providers(&self, query: &ProviderQuery, limit: usize) -> Result<Vec<Provider>, IndexApiError> {
        self.providers_where(query, limit, |_| true)
    }

    /// Up to `limit` providers that `keep` admits as well as the query, newest registration first.
    pub fn providers_where(&self, query: &ProviderQuery, limit: usize, keep: impl Fn(&Provider) -> bool) -> Result<Vec<Provider>, IndexApiError> {
        self.collect("/providers", &query.params(), limit, keep)
    }

    pub fn provider(&self, authority: &str) -> Result<Provider, IndexApiError> {
        self.get(&format!("/providers/{authority}"), &[], None)
    }

    /// Up to `limit` jobs, newest post first.
    pub fn jobs(&self, query: &JobQuery, limit: usize) -> Result<Vec<Job>, IndexApiError> {
        self.collect("/jobs", &query.params(), limit, |_| true)
    }

    pub fn job(&self, address: &str) -> Result<Job, IndexApiError> {
        self.get(&format!("/jobs/{address}"), &[], None)
    }

    /// Up to `limit` of a job's events, oldest first.
    pub fn job_events(&self, address: &str, limit: usize) -> Result<Vec<Event>, IndexApiError> {
        self.collect(&format!("/jobs/{address}/events"), &[], limit, |_| true)
    }

    /// Up to `limit` events, newest first.
    pub fn events(&self, query: &EventQuery, limit: usize) -> Result<Vec<Event>, IndexApiError> {
        self.collect("/events", &query.params(), limit, |_| true)
    }

    pub fn market_stats(&self, range: &StatsRange, mint: Option<&str>) -> Result<MarketStats, IndexApiError> {
        let mut params = range.params();
        if let Some(mint) = mint {
            params.push(("mint", mint.to_string()));
        }
        self.get("/stats/market", &params, None)
    }

    pub fn provider_stats(&self, authority: &str, range: &StatsRange) -> Result<ProviderStats, IndexApiError> {
        self.get(&format!("/stats/providers/{authority}"), &range.params(), None)
    }

    pub fn client_stats(&self, authority: &str, range: &StatsRange) -> Result<ClientStats, IndexApiError> {
        self.get(&format!("/stats/clients/{authority}"), &range.params(), None)
    }
}

#[cfg(test)]
mod tests;
