//! The compute_market program, instruction by instruction, running natively in solana-program-test.

mod assignment;
mod bonds;
mod clients_and_posting;
mod compute_budget;
mod consent;
mod closing_and_pause;
mod deployable;
mod disputes;
mod events;
mod expiry;
mod extension;
mod market_admin;
mod providers;
mod randomized;
mod execution;
mod governance;
mod gpu_identity;
mod mint_policy;
mod reputation;
mod settlement;
mod token_accounts;
mod token_lifecycle;
mod trapped_funds;
