//! Rust client for compute_market: program-derived addresses, one instruction builder per program
//! instruction, zero-copy account decoding, queries over JSON-RPC with server-side filters, analytics
//! derived from accounts, a client of the indexer's REST API, program errors by name, job specs and
//! result bundles, account-change subscriptions, SPL token helpers and the mint table (symbols for mints).

pub mod amounts;
pub mod analytics;
pub mod builders;
pub mod bundle;
pub mod client;
pub mod decode;
pub mod documents;
pub mod errors;
pub mod explanations;
pub mod filters;
pub mod gpus;
pub mod index_api;
pub mod keypair_file;
pub mod mints;
pub mod pda;
pub mod program_data;
pub mod spec;
pub mod tokens;
pub mod watch;

pub use client::MarketClient;
pub use errors::ClientError;
pub use filters::{JobFilter, ProviderFilter};

/// The sha256 of a job spec or result bundle, as stored on chain.
pub fn spec_hash(bytes: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).into()
}
