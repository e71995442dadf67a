//! compute_market compiled for the host and loaded as a builtin, for engines that run it without the
//! sBPF artifact: solana-program-test in the native test tier, and the local node when no .so exists.
//!
//! A native program reaches sysvars and CPI through syscall stubs, which solana-program-test installs
//! when its first test context starts; `syscall_bridge::install` then serves them to the SDK versions
//! Anchor uses. Natively `msg!` prints to stdout and `emit!` does nothing: logs and events need the .so.

mod native_entry;
pub mod syscall_bridge;

pub use native_entry::builtin;
