//! The indexer and its API as one service, for the `indexer` binary, the local node and tests: a thread
//! with its own runtime that follows the node and answers HTTP.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

use crate::ingest::{Ingest, SharedProgress};
use crate::rpc::Rpc;
use crate::store::Store;

/// Where to index from and to, and where to answer.
#[derive(Clone, Debug)]
pub struct ServiceConfig {
    pub program: Pubkey,
    pub rpc_url: String,
    /// The node's WebSocket, for immediate wake-ups; without it the indexer polls.
    pub ws_url: Option<String>,
    /// `sqlite:<path>` or `postgres://...`.
    pub database_url: String,
    /// Port 0 picks a free one.
    pub listen: SocketAddr,
    pub poll: Duration,
}

impl ServiceConfig {
    pub fn new(rpc_url: &str, database_url: &str, listen: SocketAddr) -> ServiceConfig {
        ServiceConfig {
            program: compute_market::ID,
            rpc_url: rpc_url.to_string(),
            ws_url: Some(compute_market_client::watch::websocket_url(rpc_url)),
            database_url: database_url.to_string(),
            listen,
            poll: Duration::from_secs(2),
        }
    }
}

/// A running indexer and API; they run until the process ends.
pub struct Service {
    pub address: SocketAddr,
    pub progress: SharedProgress,
}

impl Service {
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Opens the database, binds the API's port and starts both on a background thread.
    pub fn start(config: ServiceConfig) -> Result<Service, String> {
        let (runtime, store, listener) = open(&config.database_url, config.listen)?;
        let ingest = Arc::new(Ingest::new(config.program, Rpc::new(&config.rpc_url), store.clone()));
        let progress = ingest.progress.clone();
        let router = crate::api::router(store, progress.clone(), config.program);
        let address = serve(runtime, listener, router, Some((ingest, config.ws_url, config.poll)))?;
        Ok(Service { address, progress })
    }

    /// The API alone over an existing index (no node followed): for benchmarks and read replicas.
    pub fn api_only(database_url: &str, listen: SocketAddr) -> Result<Service, String> {
        let (runtime, store, listener) = open(database_url, listen)?;
        let progress = SharedProgress::default();
        let router = crate::api::router(store, progress.clone(), compute_market::ID);
        let address = serve(runtime, listener, router, None)?;
        Ok(Service { address, progress })
    }
}

/// A runtime for the service, the database opened and migrated, and the API's port bound.
fn open(database_url: &str, listen: SocketAddr) -> Result<(Runtime, Store, TcpListener), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("indexer")
        .enable_all()
        .build()
        .map_err(|e| format!("indexer runtime: {e}"))?;
    let (store, listener) = runtime.block_on(async {
        let store = Store::open(database_url).await.map_err(|e| e.to_string())?;
        let listener = TcpListener::bind(listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        Ok::<_, String>((store, listener))
    })?;
    Ok((runtime, store, listener))
}

/// Serves `router` (and runs `ingest` beside it) on a thread of its own; returns the bound address.
fn serve(
    runtime: Runtime,
    listener: TcpListener,
    router: axum::Router,
    ingest: Option<(Arc<Ingest>, Option<String>, Duration)>,
) -> Result<SocketAddr, String> {
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    std::thread::Builder::new()
        .name("indexer".into())
        .spawn(move || {
            runtime.block_on(async move {
                if let Some((ingest, ws_url, poll)) = ingest {
                    tokio::spawn(ingest.run(ws_url, poll));
                }
                if let Err(error) = axum::serve(listener, router).await {
                    eprintln!("indexer API: {error}");
                }
            })
        })
        .map_err(|e| format!("indexer thread: {e}"))?;
    Ok(address)
}
