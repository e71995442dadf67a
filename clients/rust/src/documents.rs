//! Fetching the documents a job refers to (its spec, its result bundle) by URI, and writing small ones
//! inline as `data:` URIs.

use std::time::Duration;

use base64::Engine;

/// The most a fetched document may weigh.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// The bytes behind a `data:`, `file://`, `http://` or `https://` URI.
pub fn fetch(uri: &str) -> Result<Vec<u8>, String> {
    if let Some(rest) = uri.strip_prefix("data:") {
        return decode_data_uri(rest).ok_or_else(|| format!("`{uri}` is not a valid data: URI"));
    }
    if let Some(path) = uri.strip_prefix("file://") {
        return std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"));
    }
    if uri.starts_with("http://") || uri.starts_with("https://") {
        return fetch_http(uri);
    }
    Err(format!("`{uri}` is not a data:, file:// or http(s):// URI"))
}

fn fetch_http(uri: &str) -> Result<Vec<u8>, String> {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| format!("http client: {e}"))?;
    let response = client.get(uri).send().map_err(|e| format!("cannot fetch {uri}: {e}"))?;
    let status = response.status();
    if !status.is_success() {
        let body = response.text().unwrap_or_default();
        return Err(format!("{uri} answered {status}: {}", body.trim()));
    }
    if response.content_length().is_some_and(|len| len > MAX_DOCUMENT_BYTES) {
        return Err(format!("{uri} is larger than {MAX_DOCUMENT_BYTES} bytes"));
    }
    let bytes = response.bytes().map_err(|e| format!("reading {uri}: {e}"))?;
    Ok(bytes.to_vec())
}

/// `[<media type>][;base64],<data>`, the data percent-encoded when not base64.
fn decode_data_uri(rest: &str) -> Option<Vec<u8>> {
    let (meta, data) = rest.split_once(',')?;
    if meta.ends_with(";base64") {
        return base64::engine::general_purpose::STANDARD.decode(data).ok();
    }
    percent_decode(data)
}

fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// A JSON document inline, as a base64 `data:` URI.
pub fn data_uri(bytes: &[u8]) -> String {
    format!("data:application/json;base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// Refuses `bytes` unless their sha256 is `on_chain`, naming both: `what` is the document ("spec",
/// "bundle"), `field` the job's hash it must match ("spec hash", "result hash").
pub fn require_hash(bytes: &[u8], on_chain: &[u8; 32], what: &str, field: &str) -> Result<(), String> {
    let actual = crate::spec_hash(bytes);
    if &actual == on_chain {
        return Ok(());
    }
    Err(format!("the {what}'s sha256 is {}, the job's on-chain {field} is {}", hex(&actual), hex(on_chain)))
}

/// Lower-case hex of a hash.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A sha256 written as 64 hex characters.
pub fn parse_hash(text: &str) -> Result<[u8; 32], String> {
    let bad = || format!("`{text}` is not a sha256 in hex (64 characters)");
    if text.len() != 64 || !text.is_ascii() {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_uris_round_trip_and_decode_percent_encoding() {
        let json = br#"{"version":1,"command":["echo","hi"]}"#;
        assert_eq!(fetch(&data_uri(json)).unwrap(), json.to_vec());
        assert_eq!(fetch("data:,a%20b").unwrap(), b"a b".to_vec());
        assert!(fetch("data:;base64,***").is_err());
        assert!(fetch("data:,bad%zz").is_err());
    }

    #[test]
    fn file_uris_read_the_file_and_unknown_schemes_are_refused() {
        let path = std::env::temp_dir().join(format!("cm-doc-{}.json", std::process::id()));
        std::fs::write(&path, b"{}").unwrap();
        assert_eq!(fetch(&format!("file://{}", path.display())).unwrap(), b"{}".to_vec());
        std::fs::remove_file(&path).unwrap();
        assert!(fetch(&format!("file://{}", path.display())).unwrap_err().contains("cannot read"));
        assert!(fetch("ftp://x").unwrap_err().contains("not a data:"));
    }

    #[test]
    fn hashes_round_trip_through_hex() {
        let hash = crate::spec_hash(b"x");
        assert_eq!(parse_hash(&hex(&hash)).unwrap(), hash);
        assert!(parse_hash("zz").is_err());
    }
}
