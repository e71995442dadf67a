//! Account types and the value types stored inside them. Market, Provider, ClientProfile, Job and
//! Vault, the accounts of every job's path, are zero-copy (`repr(C)`, no padding): instructions read
//! and write them in place instead of decoding and re-encoding them, which is most of their cost.

pub mod bond;
pub mod client_profile;
pub mod hardware;
pub mod job;
pub mod market;
pub mod mint_quote;
pub mod pair;
pub mod payment_mint;
pub mod provider;
pub mod resources;
pub mod uri;
pub mod vault;

pub use bond::*;
pub use client_profile::*;
pub use hardware::*;
pub use job::*;
pub use market::*;
pub use mint_quote::*;
pub use pair::*;
pub use payment_mint::*;
pub use provider::*;
pub use resources::*;
pub use uri::*;
pub use vault::*;

/// Bytes of a zero-copy account of type `T`: the 8-byte discriminator and the body.
pub const fn space<T>() -> usize {
    8 + std::mem::size_of::<T>()
}
