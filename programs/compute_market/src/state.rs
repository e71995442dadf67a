//! Account types and the value types stored inside them.

pub mod client_profile;
pub mod job;
pub mod market;
pub mod mint_quote;
pub mod payment_mint;
pub mod provider;
pub mod resources;
pub mod vault;

pub use client_profile::*;
pub use job::*;
pub use market::*;
pub use mint_quote::*;
pub use payment_mint::*;
pub use provider::*;
pub use resources::*;
pub use vault::*;
