//! Test support for compute_market: the program loaded natively into solana-program-test, typed
//! instruction builders, and a harness that checks balances and decodes errors by name.

pub mod harness;
pub mod measure;
pub mod scenario;
pub mod tokens;

pub use compute_market_client::{builders, pda};
pub use compute_market_native::syscall_bridge;
