//! One module per instruction: its accounts, its arguments and its handler.
//!
//! On sBPF, the handlers off the job path (administration, registration, quotes, bonds, disputes,
//! extensions, hand-backs) are compiled for size, `#[cfg_attr(target_os = "solana", optimize(size),
//! inline(never))]`: about 17 KB less program for a few dozen compute units each. The job path (post,
//! assign, start, submit, complete, and the settlements finalize, cancel and expire) stays compiled for
//! speed (docs/PROGRAM_SIZE.md).

pub mod accept_admin;
pub mod add_mint_quote;
pub mod add_payment_mint;
pub mod assign_job;
pub mod cancel_job;
pub mod close_job;
pub mod close_provider;
pub mod collect_fees;
pub mod complete_and_pay;
pub mod decline_job;
pub mod deposit_bond;
pub mod dispute_job;
pub mod expire_job;
pub mod extend_job;
pub mod finalize_job;
pub mod initialize_market;
pub mod post_job;
pub mod propose_admin;
pub mod register_client;
pub mod register_provider;
pub mod remove_mint_quote;
pub mod request_bond_withdrawal;
pub mod resolve_dispute;
pub mod set_payment_mint_enabled;
pub mod set_provider_active;
pub mod start_job;
pub mod submit_result;
pub mod take_back_job;
pub mod update_market;
pub mod update_mint_quote;
pub mod update_provider;
pub mod withdraw_bond;
pub mod withdraw_earnings;

pub use accept_admin::*;
pub use add_mint_quote::*;
pub use add_payment_mint::*;
pub use assign_job::*;
pub use cancel_job::*;
pub use close_job::*;
pub use close_provider::*;
pub use collect_fees::*;
pub use complete_and_pay::*;
pub use decline_job::*;
pub use deposit_bond::*;
pub use dispute_job::*;
pub use expire_job::*;
pub use extend_job::*;
pub use finalize_job::*;
pub use initialize_market::*;
pub use post_job::*;
pub use propose_admin::*;
pub use register_client::*;
pub use register_provider::*;
pub use remove_mint_quote::*;
pub use request_bond_withdrawal::*;
pub use resolve_dispute::*;
pub use set_payment_mint_enabled::*;
pub use set_provider_active::*;
pub use start_job::*;
pub use submit_result::*;
pub use take_back_job::*;
pub use update_market::*;
pub use update_mint_quote::*;
pub use update_provider::*;
pub use withdraw_bond::*;
pub use withdraw_earnings::*;
