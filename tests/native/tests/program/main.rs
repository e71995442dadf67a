//! The compute_market program, instruction by instruction, running natively in solana-program-test.

mod smoke;
