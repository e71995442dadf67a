//! Parameters, checked by hand so that every bad one is answered with its own name: unknown or repeated
//! query parameters, malformed addresses, numbers out of range, words not in their list. Every length is
//! bounded before anything is decoded, and values reach SQL only as bound parameters.

use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query};
use axum::http::Uri;

use super::error::ApiError;
use crate::store::read::{Buckets, PageRequest};

/// Longest query string served; far above what any valid combination of parameters needs.
const MAX_QUERY: usize = 2_048;
/// A base58 address of 32 bytes is at most 44 characters.
const MAX_ADDRESS: usize = 44;
/// Cursors are decimal sort keys.
const MAX_CURSOR: usize = 40;
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 500;
/// The latest time accepted (9999-12-31T23:59:59Z): keeps bucket arithmetic far from overflow.
pub const MAX_TIME: u64 = 253_402_300_799;
pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;
/// Longest ranges: 92 days of hours, about ten years of days.
pub const MAX_HOUR_BUCKETS: i64 = 2_208;
pub const MAX_DAY_BUCKETS: i64 = 3_660;
/// The range when `from` or `to` is not given: the 30 days before `to`.
pub const DEFAULT_RANGE: i64 = 30 * DAY;

/// A request's query parameters, each given at most once and each among those its endpoint takes.
pub struct QueryParams {
    values: HashMap<String, String>,
}

/// A name or value quoted in an error, cut short (it may be anything a client sent).
fn quoted(text: &str) -> String {
    let short: String = text.chars().take(MAX_ADDRESS).collect();
    if short.len() < text.len() {
        format!("{short:?}...")
    } else {
        format!("{short:?}")
    }
}

impl QueryParams {
    pub fn parse(uri: &Uri, allowed: &[&str]) -> Result<QueryParams, ApiError> {
        let raw = uri.query().unwrap_or_default();
        if raw.len() > MAX_QUERY {
            return Err(ApiError::bad("query", format_args!("longer than {MAX_QUERY} characters")));
        }
        let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(uri)
            .map_err(|_| ApiError::bad("query", "not a form-encoded query string"))?;
        let mut values = HashMap::new();
        for (name, value) in pairs {
            let Some(known) = allowed.iter().find(|known| **known == name) else {
                let shown: String = name.chars().take(MAX_ADDRESS).collect();
                let accepted = if allowed.is_empty() { "none".to_string() } else { allowed.join(", ") };
                return Err(ApiError::bad(&shown, format_args!("unknown parameter (accepted: {accepted})")));
            };
            if values.insert(name, value).is_some() {
                return Err(ApiError::bad(known, "given more than once"));
            }
        }
        Ok(QueryParams { values })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A base58 address, returned in its canonical spelling.
    pub fn address(&self, name: &str) -> Result<Option<String>, ApiError> {
        self.get(name).map(|value| address(name, value)).transpose()
    }

    /// `true` or `false`.
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, ApiError> {
        self.get(name)
            .map(|value| match value {
                "true" => Ok(true),
                "false" => Ok(false),
                other => Err(ApiError::bad(name, format_args!("{} is neither true nor false", quoted(other)))),
            })
            .transpose()
    }

    /// A decimal integer in `min..=max`.
    pub fn integer(&self, name: &str, min: u64, max: u64) -> Result<Option<u64>, ApiError> {
        self.get(name)
            .map(|value| {
                let parsed = (value.len() <= 20 && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| value.parse::<u64>().ok())
                    .flatten();
                match parsed {
                    Some(n) if (min..=max).contains(&n) => Ok(n),
                    _ => Err(ApiError::bad(
                        name,
                        format_args!("{} is not an integer from {min} to {max}", quoted(value)),
                    )),
                }
            })
            .transpose()
    }

    /// One of `words`.
    pub fn word(&self, name: &str, words: &[&'static str]) -> Result<Option<&'static str>, ApiError> {
        self.get(name)
            .map(|value| {
                words.iter().copied().find(|word| *word == value).ok_or_else(|| {
                    ApiError::bad(name, format_args!("{} is not one of {}", quoted(value), words.join(", ")))
                })
            })
            .transpose()
    }

    /// `limit` (1-500, default 50) and `cursor` (a sort key this API gave as `next_cursor`).
    pub fn page(&self) -> Result<PageRequest, ApiError> {
        let limit = self.integer("limit", 1, MAX_LIMIT)?.unwrap_or(DEFAULT_LIMIT);
        let after = self
            .get("cursor")
            .map(|cursor| {
                let valid =
                    cursor.len() <= MAX_CURSOR && !cursor.is_empty() && cursor.bytes().all(|b| b.is_ascii_digit());
                valid
                    .then(|| cursor.parse::<i64>().ok())
                    .flatten()
                    .ok_or_else(|| ApiError::bad("cursor", "not a cursor this API gave (use next_cursor)"))
            })
            .transpose()?;
        Ok(PageRequest { limit: limit as u32, after })
    }

    /// `bucket` (`hour` or `day`, default `day`), `from` and `to` (Unix seconds, default the 30 days before
    /// now), widened to whole buckets: `from` down to its bucket's start, `to` up to the next bucket's start.
    pub fn buckets(&self, now: i64) -> Result<(Bucket, Buckets), ApiError> {
        let bucket = match self.word("bucket", &["hour", "day"])? {
            Some("hour") => Bucket::Hour,
            _ => Bucket::Day,
        };
        let time = |name| self.integer(name, 0, MAX_TIME).map(|t| t.map(|t| t as i64));
        let (from, to) = match (time("from")?, time("to")?) {
            (Some(from), Some(to)) => (from, to),
            (Some(from), None) => (from, now.max(0)),
            (None, Some(to)) => ((to - DEFAULT_RANGE).max(0), to),
            (None, None) => ((now - DEFAULT_RANGE).max(0), now.max(0)),
        };
        if from >= to {
            return Err(ApiError::bad("from", format_args!("{from} is not before to ({to})")));
        }
        let size = bucket.seconds();
        let start = from - from.rem_euclid(size);
        let end = to + (size - to.rem_euclid(size)) % size;
        let count = (end - start) / size;
        let most = bucket.max_buckets();
        if count > most {
            let name = bucket.name();
            return Err(ApiError::bad(
                "from",
                format_args!("the range holds {count} {name} buckets, more than {most}; narrow from and to"),
            ));
        }
        Ok((bucket, Buckets { size, from: start, to: end }))
    }
}

/// A stats series' bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    Hour,
    Day,
}

impl Bucket {
    pub fn seconds(self) -> i64 {
        match self {
            Bucket::Hour => HOUR,
            Bucket::Day => DAY,
        }
    }

    fn max_buckets(self) -> i64 {
        match self {
            Bucket::Hour => MAX_HOUR_BUCKETS,
            Bucket::Day => MAX_DAY_BUCKETS,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Bucket::Hour => "hour",
            Bucket::Day => "day",
        }
    }
}

/// `value` as a base58 address of 32 bytes, in canonical spelling.
fn address(name: &str, value: &str) -> Result<String, ApiError> {
    if value.len() > MAX_ADDRESS {
        return Err(ApiError::bad(name, format_args!("{} is not a base58 address", quoted(value))));
    }
    value
        .parse::<Pubkey>()
        .map(|key| key.to_string())
        .map_err(|_| ApiError::bad(name, format_args!("{} is not a base58 address", quoted(value))))
}

/// The address in a path (`/jobs/{address}`...), named `name` in errors.
pub fn path_address(path: Result<Path<String>, PathRejection>, name: &str) -> Result<String, ApiError> {
    let Path(value) = path.map_err(|_| ApiError::bad(name, "not a base58 address"))?;
    address(name, &value)
}
