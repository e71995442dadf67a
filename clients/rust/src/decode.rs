//! Zero-copy program accounts from their raw bytes: discriminator, size, then the `repr(C)` body.

use anchor_lang::Discriminator;
use bytemuck::Pod;
use compute_market::state::space;

/// Why bytes are not an account of the expected type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    WrongSize { expected: usize, actual: usize },
    WrongDiscriminator,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::WrongSize { expected, actual } => write!(f, "{actual} bytes where {expected} were expected"),
            DecodeError::WrongDiscriminator => write!(f, "another account type (discriminator differs)"),
        }
    }
}

/// Reads a zero-copy account (Market, Provider, ClientProfile, Job, Vault, Pair) from its data.
pub fn zero_copy<T: Pod + Discriminator>(data: &[u8]) -> Result<T, DecodeError> {
    let expected = space::<T>();
    if data.len() != expected {
        return Err(DecodeError::WrongSize { expected, actual: data.len() });
    }
    if &data[..8] != T::DISCRIMINATOR {
        return Err(DecodeError::WrongDiscriminator);
    }
    Ok(bytemuck::pod_read_unaligned(&data[8..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_market::state::{Job, Provider};

    #[test]
    fn reads_back_what_was_laid_out() {
        let mut data = vec![0u8; space::<Job>()];
        data[..8].copy_from_slice(Job::DISCRIMINATOR);
        data[8 + 32 * 4] = 7; // job_id, right after the four keys
        let job: Job = zero_copy(&data).unwrap();
        assert_eq!(job.job_id, 7);
    }

    #[test]
    fn refuses_other_types_and_sizes() {
        let mut data = vec![0u8; space::<Job>()];
        data[..8].copy_from_slice(Provider::DISCRIMINATOR);
        assert_eq!(zero_copy::<Job>(&data).unwrap_err(), DecodeError::WrongDiscriminator);
        assert_eq!(
            zero_copy::<Job>(&data[..100]).unwrap_err(),
            DecodeError::WrongSize { expected: space::<Job>(), actual: 100 }
        );
    }
}
