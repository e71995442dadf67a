//! The job spec, schema version 1: what a provider's agent runs for a job. The sha256 of the spec's bytes
//! is the job's on-chain `spec_hash`; its `spec_uri` says where the bytes are (`data:`, `file://`, `http(s)://`).
//!
//! ```json
//! {
//!   "version": 1,
//!   "command": ["python3", "train.py", "--epochs", "3"],
//!   "env": { "SEED": "7" },
//!   "inputs": [ { "path": "train.py", "text": "print('hello')" }, { "path": "data.bin", "base64": "AAEC" } ],
//!   "outputs": ["model.bin", "logs/"],
//!   "image": "python:3.12-slim"
//! }
//! ```
//! - `command`: the program and its arguments, run without a shell in the job's own working directory.
//! - `env`: added to a minimal environment (`PATH`, `HOME` = the working directory).
//! - `inputs`: files written into the working directory before the command runs, as UTF-8 `text` or `base64`.
//! - `outputs`: files or directories (trailing `/`) collected into the result bundle afterwards.
//! - `image`: optional container image; an agent with a container runtime runs the command inside it, an
//!   agent without one refuses the job before starting it.
//! - `network`: optional, `true` to ask for outbound network; the provider's policy decides (off unless
//!   the provider allows it), and the host's loopback stays unreachable either way.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::documents::require_hash;

pub const SPEC_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSpec {
    pub version: u32,
    pub command: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub network: bool,
}

/// A file placed in the working directory before the command runs: exactly one of `text` and `base64`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
}

impl InputFile {
    pub fn contents(&self) -> Result<Vec<u8>, String> {
        match (&self.text, &self.base64) {
            (Some(text), None) => Ok(text.clone().into_bytes()),
            (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|e| format!("input {}: base64: {e}", self.path)),
            _ => Err(format!("input {}: give exactly one of `text` and `base64`", self.path)),
        }
    }
}

impl JobSpec {
    /// Parses and validates a spec's bytes.
    pub fn parse(bytes: &[u8]) -> Result<JobSpec, String> {
        let spec: JobSpec = serde_json::from_slice(bytes).map_err(|e| format!("the job spec is not valid: {e}"))?;
        spec.validate()?;
        Ok(spec)
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.version != SPEC_VERSION {
            return Err(format!("job spec version {} is not supported (this tool reads version {SPEC_VERSION})", self.version));
        }
        if self.command.first().is_none_or(|program| program.is_empty()) {
            return Err("the job spec's command is empty".into());
        }
        for key in self.env.keys() {
            let valid = !key.is_empty() && !key.starts_with(|c: char| c.is_ascii_digit())
                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(format!("`{key}` is not an environment variable name"));
            }
        }
        for input in &self.inputs {
            relative_path(&input.path)?;
            input.contents()?;
        }
        for output in &self.outputs {
            relative_path(output)?;
        }
        if self.image.as_deref() == Some("") {
            return Err("the job spec's image is empty".into());
        }
        Ok(())
    }

    /// The bytes whose sha256 goes on chain: compact JSON with fields in schema order.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a job spec always serialises")
    }
}

/// A path inside the working directory: relative, without `..`, not empty.
pub fn relative_path(path: &str) -> Result<&Path, String> {
    let p = Path::new(path);
    let inside = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if inside {
        Ok(p)
    } else {
        Err(format!("`{path}` is not a path inside the job's working directory"))
    }
}

/// Checks fetched spec bytes against the job's on-chain hash before anything is run.
pub fn verify_spec(bytes: &[u8], on_chain: &[u8; 32]) -> Result<JobSpec, String> {
    require_hash(bytes, on_chain, "spec", "spec hash")?;
    JobSpec::parse(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> Result<JobSpec, String> {
        JobSpec::parse(json.as_bytes())
    }

    #[test]
    fn reads_a_full_spec_and_round_trips() {
        let parsed = spec(
            r#"{"version":1,"command":["sh","-c","cat in.txt > out.txt"],"env":{"A_1":"x"},
               "inputs":[{"path":"in.txt","text":"hi"},{"path":"d/b.bin","base64":"AAE="}],"outputs":["out.txt","d/"],"image":"alpine"}"#,
        )
        .unwrap();
        assert_eq!(parsed.inputs[1].contents().unwrap(), vec![0, 1]);
        assert_eq!(JobSpec::parse(&parsed.to_bytes()).unwrap(), parsed);
    }

    #[test]
    fn refuses_bad_specs_with_the_reason() {
        let cases = [
            (r#"{"version":2,"command":["x"]}"#, "version 2 is not supported"),
            (r#"{"version":1,"command":[]}"#, "command is empty"),
            (r#"{"version":1,"command":["x"],"env":{"1A":"x"}}"#, "not an environment variable name"),
            (r#"{"version":1,"command":["x"],"outputs":["../etc/passwd"]}"#, "not a path inside"),
            (r#"{"version":1,"command":["x"],"outputs":["/etc/passwd"]}"#, "not a path inside"),
            (r#"{"version":1,"command":["x"],"inputs":[{"path":"a","text":"t","base64":"AA=="}]}"#, "exactly one"),
            (r#"{"version":1,"command":["x"],"extra":1}"#, "unknown field"),
        ];
        for (json, expected) in cases {
            let error = spec(json).unwrap_err();
            assert!(error.contains(expected), "{json}: {error}");
        }
    }

    #[test]
    fn verify_refuses_a_hash_mismatch() {
        let bytes = br#"{"version":1,"command":["true"]}"#;
        assert!(verify_spec(bytes, &crate::spec_hash(bytes)).is_ok());
        let error = verify_spec(bytes, &[1; 32]).unwrap_err();
        assert!(error.contains("on-chain spec hash is 0101"), "{error}");
    }
}
