//! compute_market's indexer: it follows the program through a node (backfill, then live), keeps every
//! event and the tables derived from them (jobs, providers, clients, hourly rollups) in SQLite or
//! PostgreSQL, and serves them over a REST API with an OpenAPI document.

pub mod api;
pub mod events;
pub mod ingest;
pub mod rpc;
pub mod store;
pub mod service;

pub use service::{Service, ServiceConfig};
