//! Pure arithmetic: pricing and settlement splits, and the reputation score. No runtime needed.

pub mod pricing;
pub mod reputation;
