//! A URI stored inline in a zero-copy account: up to MAX_URI_LEN bytes of UTF-8 and their length.

use std::borrow::Cow;

use anchor_lang::prelude::*;

use crate::constants::MAX_URI_LEN;
use crate::error::MarketError;

const CAPACITY: usize = MAX_URI_LEN as usize;

/// The first `len` bytes of `bytes` are the URI; the rest are zero.
#[zero_copy]
#[derive(Debug, PartialEq, Eq)]
pub struct StoredUri {
    pub len: u8,
    pub bytes: [u8; CAPACITY],
}

impl StoredUri {
    /// A non-empty URI of at most MAX_URI_LEN bytes, or `InvalidUri`.
    pub fn new(uri: &str) -> Result<Self> {
        let mut stored = StoredUri { len: 0, bytes: [0; CAPACITY] };
        stored.set(uri)?;
        Ok(stored)
    }

    /// Replaces the URI in place with a non-empty one of at most MAX_URI_LEN bytes, or fails with `InvalidUri`.
    pub fn set(&mut self, uri: &str) -> Result<()> {
        validate_uri(uri)?;
        self.bytes[..uri.len()].copy_from_slice(uri.as_bytes());
        self.bytes[uri.len()..].fill(0);
        // validate_uri bounds the length by MAX_URI_LEN (200), which fits in a u8.
        self.len = uri.len() as u8;
        Ok(())
    }

    /// The URI as text. Only `new` writes it, from a `&str`, so the bytes are UTF-8.
    pub fn to_string_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes[..usize::from(self.len).min(CAPACITY)])
    }
}

/// A URI is non-empty and at most MAX_URI_LEN bytes.
pub fn validate_uri(uri: &str) -> Result<()> {
    ensure!(!uri.is_empty() && uri.len() <= CAPACITY, MarketError::InvalidUri);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_bounds() {
        assert_eq!(StoredUri::new("https://p.example/x").unwrap().to_string_lossy(), "https://p.example/x");
        let longest = "é".repeat(CAPACITY / 2);
        assert_eq!(StoredUri::new(&longest).unwrap().to_string_lossy(), longest);
        assert!(StoredUri::new("").is_err());
        assert!(StoredUri::new(&"x".repeat(CAPACITY + 1)).is_err());
    }
}
