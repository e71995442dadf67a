//! The result bundle, version 1: what a provider's agent delivers for a job. Its sha256 is the job's
//! on-chain `result_hash`; the provider serves it at `<metadata URI>/jobs/<job address>/result`, and a
//! client checks the hash before trusting a byte of it.

use std::path::Path;

use anchor_lang::prelude::Pubkey;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::documents::{fetch, hex, require_hash};
use crate::spec::relative_path;

pub const BUNDLE_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultBundle {
    pub version: u32,
    /// The job's address.
    pub job: String,
    /// The command's exit code; none when it was killed.
    pub exit_code: Option<i32>,
    /// Killed at the job's duration.
    pub timed_out: bool,
    pub runtime_ms: u64,
    /// The end of the command's output streams (at most `OUTPUT_TAIL_BYTES` each).
    pub stdout: String,
    pub stderr: String,
    pub files: Vec<BundleFile>,
    /// Outputs the spec named that the command did not produce.
    pub missing: Vec<String>,
    /// The limit that ended the job, when one did: `duration`, `memory`, `processes` or `storage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_exceeded: Option<String>,
    /// Outputs the agent would not collect (links, FIFOs, devices, files past the bundle's budget), with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<RefusedOutput>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusedOutput {
    pub path: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleFile {
    pub path: String,
    pub sha256: String,
    pub base64: String,
}

pub const OUTPUT_TAIL_BYTES: usize = 64 * 1024;

impl BundleFile {
    pub fn new(path: String, contents: &[u8]) -> BundleFile {
        BundleFile {
            path,
            sha256: hex(&crate::spec_hash(contents)),
            base64: base64::engine::general_purpose::STANDARD.encode(contents),
        }
    }

    pub fn contents(&self) -> Result<Vec<u8>, String> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&self.base64)
            .map_err(|e| format!("bundle file {}: {e}", self.path))?;
        if hex(&crate::spec_hash(&bytes)) != self.sha256 {
            return Err(format!("bundle file {} does not match its sha256", self.path));
        }
        Ok(bytes)
    }
}

impl ResultBundle {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a result bundle always serialises")
    }

    /// Reads a bundle whose bytes hash to the job's on-chain result hash; anything else is refused.
    pub fn verified(bytes: &[u8], on_chain: &[u8; 32]) -> Result<ResultBundle, String> {
        require_hash(bytes, on_chain, "bundle", "result hash").map_err(|e| format!("{e}; not using it"))?;
        let bundle: ResultBundle =
            serde_json::from_slice(bytes).map_err(|e| format!("the result bundle is not valid: {e}"))?;
        if bundle.version != BUNDLE_VERSION {
            return Err(format!("result bundle version {} is not supported", bundle.version));
        }
        Ok(bundle)
    }

    /// Writes the bundle's files under `dir`, each checked against its own sha256.
    pub fn unpack(&self, dir: &Path) -> Result<Vec<String>, String> {
        let mut written = Vec::new();
        for file in &self.files {
            let target = dir.join(relative_path(&file.path)?);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
            }
            std::fs::write(&target, file.contents()?).map_err(|e| format!("writing {}: {e}", target.display()))?;
            written.push(file.path.clone());
        }
        Ok(written)
    }
}

/// Where a provider serves a job's bundle: under its metadata URI, which is its agent's endpoint.
/// Where a provider serves a job's bundle. A fragment on the metadata URI (`#unisolated`, which an agent
/// running jobs without a sandbox publishes) is not part of the address.
pub fn result_url(provider_endpoint: &str, job: &Pubkey) -> String {
    let endpoint = provider_endpoint.split('#').next().unwrap_or_default();
    format!("{}/jobs/{job}/result", endpoint.trim_end_matches('/'))
}

/// Downloads a job's bundle from its provider and checks it against the on-chain hash.
pub fn download(provider_endpoint: &str, job: &Pubkey, on_chain: &[u8; 32]) -> Result<(Vec<u8>, ResultBundle), String> {
    let bytes = fetch(&result_url(provider_endpoint, job))?;
    let bundle = ResultBundle::verified(&bytes, on_chain)?;
    if bundle.job != job.to_string() {
        return Err(format!("the bundle is for job {}, not {job}", bundle.job));
    }
    Ok((bytes, bundle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> ResultBundle {
        ResultBundle {
            version: 1,
            job: Pubkey::new_unique().to_string(),
            exit_code: Some(0),
            timed_out: false,
            runtime_ms: 5,
            stdout: "ok\n".into(),
            stderr: String::new(),
            files: vec![BundleFile::new("out/a.txt".into(), b"hello")],
            missing: vec![],
            limit_exceeded: None,
            refused: vec![],
        }
    }

    #[test]
    fn the_result_address_ignores_the_metadata_fragment() {
        let job = Pubkey::new_from_array([1; 32]);
        assert_eq!(result_url("http://h:1/", &job), format!("http://h:1/jobs/{job}/result"));
        assert_eq!(result_url("http://h:1#unisolated", &job), format!("http://h:1/jobs/{job}/result"));
    }

    #[test]
    fn limits_and_refused_outputs_round_trip_and_old_bundles_still_read() {
        let mut full = bundle();
        full.limit_exceeded = Some("memory".into());
        full.refused = vec![RefusedOutput { path: "link".into(), reason: "a symbolic link (not followed)".into() }];
        let bytes = full.to_bytes();
        assert_eq!(ResultBundle::verified(&bytes, &crate::spec_hash(&bytes)).unwrap(), full);
        let old_style = bundle();
        let plain = old_style.to_bytes();
        assert!(!String::from_utf8_lossy(&plain).contains("refused"), "absent fields stay out of old-style bundles");
        assert_eq!(ResultBundle::verified(&plain, &crate::spec_hash(&plain)).unwrap(), old_style);
    }

    #[test]
    fn verified_bundles_unpack_their_files() {
        let bytes = bundle().to_bytes();
        let read = ResultBundle::verified(&bytes, &crate::spec_hash(&bytes)).unwrap();
        let dir = std::env::temp_dir().join(format!("cm-bundle-{}", std::process::id()));
        assert_eq!(read.unpack(&dir).unwrap(), vec!["out/a.txt".to_string()]);
        assert_eq!(std::fs::read(dir.join("out/a.txt")).unwrap(), b"hello");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_bundle_off_its_hash_or_with_a_tampered_file_is_refused() {
        let bytes = bundle().to_bytes();
        let error = ResultBundle::verified(&bytes, &[7; 32]).unwrap_err();
        assert!(error.contains("on-chain result hash is 0707"), "{error}");
        let mut tampered = bundle();
        tampered.files[0].base64 = base64::engine::general_purpose::STANDARD.encode(b"evil");
        assert!(tampered.files[0].contents().unwrap_err().contains("does not match"));
        let mut escaping = bundle();
        escaping.files[0].path = "../x".into();
        assert!(escaping.unpack(Path::new("/tmp")).is_err());
    }
}
