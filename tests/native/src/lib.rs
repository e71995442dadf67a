//! Test support for compute_market: the program loaded natively into solana-program-test, typed
//! instruction builders, and a harness that checks balances and decodes errors by name.

pub mod builders;
pub mod harness;
pub mod measure;
pub mod pda;
pub mod scenario;
pub mod syscall_bridge;
pub mod tokens;

mod native_entry;
