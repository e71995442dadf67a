//! The matcher's explanations of jobs it leaves open, read from its endpoint
//! (`GET <matcher>/jobs/<job address>/why`).

use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use serde::{Deserialize, Serialize};

/// Why the matcher left a job open in its last round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub job: String,
    pub reason: String,
    /// Unix time of the round.
    pub checked_at: u64,
}

/// The default address of a local matcher's endpoint (`cmkt matcher run`, `localnet --demo`).
pub const LOCAL_MATCHER_URL: &str = "http://127.0.0.1:8901";

pub fn why_url(matcher_url: &str, job: &Pubkey) -> String {
    format!("{}/jobs/{job}/why", matcher_url.trim_end_matches('/'))
}

/// The matcher's explanation for `job`; none if its last round did not leave the job open.
pub fn why(matcher_url: &str, job: &Pubkey) -> Result<Option<Explanation>, String> {
    let url = why_url(matcher_url, job);
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| format!("http client: {e}"))?;
    let response = client.get(&url).send().map_err(|e| format!("no matcher answers at {matcher_url} ({e})"))?;
    match response.status().as_u16() {
        200 => response.json().map(Some).map_err(|e| format!("the matcher's answer is not an explanation: {e}")),
        404 => Ok(None),
        status => Err(format!("the matcher answered {status} for {url}")),
    }
}
