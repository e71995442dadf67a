//! Following the program: backfill from its first transaction, then follow new ones as the node confirms
//! them, applying them oldest first in batches. The cursor (the newest transaction applied) moves in the
//! same database transaction as the batch, so a restart resumes exactly after it. A WebSocket log
//! subscription wakes the loop at once; a poll timer makes it progress without one. Any node or database
//! failure is logged and retried with backoff: nothing is skipped, nothing counted twice.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anchor_lang::prelude::Pubkey;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client_api::config::{RpcTransactionLogsConfig, RpcTransactionLogsFilter};
use tokio::sync::Notify;

use crate::events::events_in_log;
use crate::rpc::{Rpc, RpcError, SignatureInfo};
use crate::store::{IndexedTransaction, Store, StoreError};

/// Transactions applied per database transaction.
pub const BATCH: usize = 500;

/// What the API reports about indexing.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Progress {
    /// The node's confirmed slot when last asked.
    pub node_slot: u64,
    /// The slot of the newest transaction applied.
    pub indexed_slot: u64,
    /// The newest finalized slot seen; rows at or below it are marked finalized.
    pub finalized_slot: u64,
    /// Unix seconds when the index last caught up with the node.
    pub caught_up_at: Option<i64>,
    pub transactions_applied: u64,
    pub events_applied: u64,
    /// The last failure, until the next pass succeeds.
    pub last_error: Option<String>,
}

pub type SharedProgress = Arc<Mutex<Progress>>;

#[derive(Debug)]
pub enum IngestError {
    Rpc(RpcError),
    Store(StoreError),
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IngestError::Rpc(error) => error.fmt(f),
            IngestError::Store(error) => error.fmt(f),
        }
    }
}

impl From<RpcError> for IngestError {
    fn from(error: RpcError) -> Self {
        IngestError::Rpc(error)
    }
}

impl From<StoreError> for IngestError {
    fn from(error: StoreError) -> Self {
        IngestError::Store(error)
    }
}

pub struct Ingest {
    pub program: Pubkey,
    pub rpc: Rpc,
    pub store: Store,
    pub progress: SharedProgress,
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

impl Ingest {
    pub fn new(program: Pubkey, rpc: Rpc, store: Store) -> Ingest {
        Ingest { program, rpc, store, progress: SharedProgress::default() }
    }

    /// Applies everything the node has after the cursor. Returns how many transactions were applied.
    pub async fn sync(&self) -> Result<u64, IngestError> {
        self.store.bind_to("genesis_hash", &self.rpc.genesis_hash().await?).await?;
        self.store.bind_to("program", &self.program.to_string()).await?;
        let node_slot = self.rpc.slot("confirmed").await?;
        let cursor = self.store.cursor().await?;
        let pending = self.pending(cursor.as_ref().map(|c| c.signature.as_str())).await?;
        let mut applied = 0;
        for chunk in pending.chunks(BATCH) {
            let (batch, complete) = self.fetch(chunk).await?;
            let events = self.store.apply(&batch).await?;
            applied += batch.len() as u64;
            let mut progress = self.progress.lock().expect("progress lock");
            progress.transactions_applied += batch.len() as u64;
            progress.events_applied += events;
            progress.indexed_slot = batch.last().map_or(progress.indexed_slot, |t| t.slot);
            if !complete {
                // The node listed a transaction it cannot return yet: stop before it and come back.
                return Ok(applied);
            }
        }
        let finalized = self.rpc.slot("finalized").await?;
        self.store.mark_finalized(finalized).await?;
        let mut progress = self.progress.lock().expect("progress lock");
        progress.node_slot = node_slot;
        progress.finalized_slot = finalized;
        if let Some(cursor) = &cursor {
            progress.indexed_slot = progress.indexed_slot.max(cursor.slot);
        }
        progress.caught_up_at = Some(now());
        progress.last_error = None;
        Ok(applied)
    }

    /// The program's signatures after `until`, oldest first.
    async fn pending(&self, until: Option<&str>) -> Result<Vec<SignatureInfo>, IngestError> {
        let mut all: Vec<SignatureInfo> = Vec::new();
        loop {
            let before = all.last().map(|s| s.signature.clone());
            let page = self.rpc.signatures(&self.program, before.as_deref(), until).await?;
            let full = page.len() == crate::rpc::SIGNATURE_PAGE;
            all.extend(page);
            if !full {
                break;
            }
        }
        // Transactions of a block still being filled come first (newest first) and wait for the next pass: a
        // node may list them out of execution order until the block closes (Surfpool orders the current slot by
        // signature), and a cursor placed among them could make `until` skip one that lands later.
        let complete = all.iter().position(|s| !s.processed_only).unwrap_or(all.len());
        all.drain(..complete);
        all.reverse();
        Ok(all)
    }

    /// Fetches and decodes `chunk`; stops at the first transaction the node does not return (false).
    async fn fetch(&self, chunk: &[SignatureInfo]) -> Result<(Vec<IndexedTransaction>, bool), IngestError> {
        let signatures: Vec<String> = chunk.iter().map(|s| s.signature.clone()).collect();
        let fetched = self.rpc.transactions(&signatures).await?;
        let mut batch = Vec::with_capacity(chunk.len());
        for (info, transaction) in chunk.iter().zip(fetched) {
            // A node may list a transaction before it returns it, or before its block has a time. The
            // listing's time is the block's (Surfpool's getTransaction answers the wall clock while the slot
            // is current, and the block's time afterwards).
            let Some(transaction) = transaction else { return Ok((batch, false)) };
            let Some(block_time) = info.block_time.or(transaction.block_time) else { return Ok((batch, false)) };
            batch.push(self.decode(info, transaction, block_time));
        }
        Ok((batch, true))
    }

    fn decode(&self, info: &SignatureInfo, fetched: crate::rpc::FetchedTransaction, block_time: i64) -> IndexedTransaction {
        let failed = fetched.failed || info.failed;
        let mut indexed = IndexedTransaction {
            signature: info.signature.clone(),
            slot: fetched.slot,
            block_time,
            failed,
            events: Vec::new(),
            ignored_reason: None,
        };
        if failed {
            return indexed;
        }
        let Some(log) = fetched.log else {
            indexed.ignored_reason = Some("the node returned no log".into());
            eprintln!("indexer: {}: ignored: the node returned no log", info.signature);
            return indexed;
        };
        let (events, problems) = events_in_log(&self.program, &log);
        if !problems.is_empty() {
            let reasons: Vec<String> = problems.iter().map(ToString::to_string).collect();
            let reason = format!("ignored {}", reasons.join("; "));
            eprintln!("indexer: {}: {reason}", info.signature);
            indexed.ignored_reason = Some(reason);
        }
        indexed.events = events;
        indexed
    }

    /// Runs until the process ends: sync, then wait for a wake-up or `poll`, retrying failures with backoff.
    pub async fn run(self: Arc<Self>, ws_url: Option<String>, poll: Duration) {
        let wake = Arc::new(Notify::new());
        if let Some(url) = ws_url {
            tokio::spawn(subscribe(url, self.program, wake.clone()));
        }
        let mut backoff = Duration::from_millis(200);
        loop {
            let started = Instant::now();
            match self.sync().await {
                Ok(_) => backoff = Duration::from_millis(200),
                Err(error) => {
                    eprintln!("indexer: {error}; retrying in {} ms", backoff.as_millis());
                    self.progress.lock().expect("progress lock").last_error = Some(error.to_string());
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                    continue;
                }
            }
            let wait = poll.saturating_sub(started.elapsed());
            let _ = tokio::time::timeout(wait, wake.notified()).await;
        }
    }
}

/// Wakes the loop for every log mentioning the program; reconnects after a drop.
async fn subscribe(url: String, program: Pubkey, wake: Arc<Notify>) {
    use futures_util::StreamExt;
    let mut backoff = Duration::from_millis(500);
    loop {
        if let Ok(client) = PubsubClient::new(&url).await {
            let filter = RpcTransactionLogsFilter::Mentions(vec![program.to_string()]);
            let config = RpcTransactionLogsConfig { commitment: None };
            if let Ok((mut notifications, _unsubscribe)) = client.logs_subscribe(filter, config).await {
                backoff = Duration::from_millis(500);
                while notifications.next().await.is_some() {
                    wake.notify_one();
                }
            }
        }
        // A reconnect may have missed notifications: the next pass catches up regardless.
        wake.notify_one();
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}
