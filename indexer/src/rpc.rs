//! The few JSON-RPC methods the indexer reads the node with, over plain HTTP (reqwest), each bounded by a
//! timeout. Transactions are fetched many at a time so a backfill is not one round trip per transaction.

use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};

/// Signatures per `getSignaturesForAddress` page (the node's maximum).
pub const SIGNATURE_PAGE: usize = 1_000;
/// `getTransaction` requests in flight at once.
const CONCURRENT_FETCHES: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RpcError {
    /// The node could not be reached or did not answer in time.
    Unreachable(String),
    /// The node answered with a JSON-RPC error.
    Node(String),
    /// The answer is not what the method returns.
    Unexpected(String),
}

impl std::fmt::Display for RpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RpcError::Unreachable(why) => write!(f, "node unreachable: {why}"),
            RpcError::Node(why) => write!(f, "node error: {why}"),
            RpcError::Unexpected(why) => write!(f, "unexpected answer: {why}"),
        }
    }
}

impl std::error::Error for RpcError {}

/// One entry of `getSignaturesForAddress`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInfo {
    pub signature: String,
    pub slot: u64,
    pub block_time: Option<i64>,
    pub failed: bool,
    /// Its block is still being filled (`processed`): the order within it is not final yet.
    pub processed_only: bool,
}

/// What the indexer reads of a transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedTransaction {
    pub slot: u64,
    pub block_time: Option<i64>,
    pub failed: bool,
    pub log: Option<Vec<String>>,
}

#[derive(Clone)]
pub struct Rpc {
    url: String,
    http: reqwest::Client,
}

impl Rpc {
    pub fn new(url: &str) -> Rpc {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .expect("an HTTP client with timeouts");
        Rpc { url: url.to_string(), http }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    async fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let response = self.http.post(&self.url).json(&body).send().await.map_err(|e| RpcError::Unreachable(e.to_string()))?;
        let mut answer: Value = response.json().await.map_err(|e| RpcError::Unreachable(e.to_string()))?;
        if let Some(error) = answer.get("error") {
            return Err(RpcError::Node(format!("{method}: {error}")));
        }
        answer.get_mut("result").map(Value::take).ok_or_else(|| RpcError::Unexpected(format!("{method}: no result")))
    }

    pub async fn genesis_hash(&self) -> Result<String, RpcError> {
        let hash = self.call("getGenesisHash", json!([])).await?;
        hash.as_str().map(str::to_string).ok_or_else(|| RpcError::Unexpected("getGenesisHash".into()))
    }

    /// The node's slot at `commitment` ("confirmed" or "finalized").
    pub async fn slot(&self, commitment: &str) -> Result<u64, RpcError> {
        let slot = self.call("getSlot", json!([{ "commitment": commitment }])).await?;
        slot.as_u64().ok_or_else(|| RpcError::Unexpected("getSlot".into()))
    }

    /// One page of the program's signatures, newest first, older than `before` and newer than `until`.
    pub async fn signatures(
        &self,
        program: &Pubkey,
        before: Option<&str>,
        until: Option<&str>,
    ) -> Result<Vec<SignatureInfo>, RpcError> {
        let mut options = json!({ "limit": SIGNATURE_PAGE, "commitment": "confirmed" });
        if let Some(before) = before {
            options["before"] = json!(before);
        }
        if let Some(until) = until {
            options["until"] = json!(until);
        }
        let page = self.call("getSignaturesForAddress", json!([program.to_string(), options])).await?;
        let entries = page.as_array().ok_or_else(|| RpcError::Unexpected("getSignaturesForAddress".into()))?;
        entries
            .iter()
            .map(|entry| {
                Ok(SignatureInfo {
                    signature: entry["signature"]
                        .as_str()
                        .ok_or_else(|| RpcError::Unexpected("a signature entry without a signature".into()))?
                        .to_string(),
                    slot: entry["slot"].as_u64().unwrap_or(0),
                    block_time: entry["blockTime"].as_i64(),
                    failed: !entry["err"].is_null(),
                    processed_only: entry["confirmationStatus"].as_str() == Some("processed"),
                })
            })
            .collect()
    }

    /// The transactions of `signatures` in the same order; `None` where the node does not have it (yet).
    pub async fn transactions(&self, signatures: &[String]) -> Result<Vec<Option<FetchedTransaction>>, RpcError> {
        // Collected first: a lazy `map` closure here makes the future not `Send` for every lifetime.
        let fetches: Vec<_> = signatures.iter().map(|signature| self.transaction(signature)).collect();
        stream::iter(fetches)
            .buffered(CONCURRENT_FETCHES)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect()
    }

    async fn transaction(&self, signature: &str) -> Result<Option<FetchedTransaction>, RpcError> {
        let options = json!({ "encoding": "json", "commitment": "confirmed", "maxSupportedTransactionVersion": 0 });
        let answer = self.call("getTransaction", json!([signature, options])).await?;
        if answer.is_null() {
            return Ok(None);
        }
        let meta = &answer["meta"];
        let log = meta["logMessages"]
            .as_array()
            .map(|lines| lines.iter().filter_map(|line| line.as_str().map(str::to_string)).collect());
        Ok(Some(FetchedTransaction {
            slot: answer["slot"].as_u64().unwrap_or(0),
            block_time: answer["blockTime"].as_i64(),
            failed: meta.is_null() || !meta["err"].is_null(),
            log,
        }))
    }
}
