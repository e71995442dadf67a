//! A local Solana node for compute_market: Surfpool's engine (LiteSVM behind a JSON-RPC and WebSocket
//! server), offline, with the program loaded from its sBPF artifact or, where none was built, natively, as
//! an upgradeable program whose upgrade authority is the market's admin (initialize_market requires it), and
//! a local USDC the market accepts;
//! with `--demo`, a seeded market and the matcher and provider agents that work it; with `--app`, the dApp.

pub mod app_server;
pub mod local_usdc;
pub mod market_setup;
pub mod node;
pub mod testing;
pub mod demo;
pub mod services;
pub mod workload;

pub use node::{Localnet, NodeConfig, ProgramSource};
