//! Keypair files in the Solana CLI's format: a JSON array of the 64 secret and public key bytes.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use solana_keypair::Keypair;

/// `~` at the start of a path is the home folder, as in the Solana CLI's defaults.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}

pub fn read_keypair(path: &Path) -> Result<Keypair, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read keypair {}: {e}", path.display()))?;
    let bytes: Vec<u8> =
        serde_json::from_str(&text).map_err(|e| format!("{} is not a keypair file (a JSON array of 64 bytes): {e}", path.display()))?;
    Keypair::try_from(bytes.as_slice()).map_err(|e| format!("{} holds no valid keypair: {e}", path.display()))
}

pub fn write_keypair(path: &Path, keypair: &Keypair) -> Result<(), String> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    }
    let text = serde_json::to_string(&keypair.to_bytes().to_vec()).expect("bytes serialize");
    // Readable by its owner only, as solana-keygen writes keys.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| format!("cannot protect {}: {e}", path.display()))?;
    file.write_all(text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The keypair at `path`, created there first if the file does not exist.
pub fn read_or_create(path: &Path) -> Result<Keypair, String> {
    if path.exists() {
        return read_keypair(path);
    }
    let keypair = Keypair::new();
    write_keypair(path, &keypair)?;
    Ok(keypair)
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_signer::Signer;

    #[test]
    fn a_written_keypair_reads_back() {
        let path = std::env::temp_dir().join(format!("cm-keypair-{}.json", std::process::id()));
        let keypair = read_or_create(&path).unwrap();
        assert_eq!(read_or_create(&path).unwrap().pubkey(), keypair.pubkey());
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600, "readable by its owner only");
        std::fs::write(&path, "[1,2]").unwrap();
        assert!(read_keypair(&path).unwrap_err().contains("no valid keypair"));
        std::fs::remove_file(path).unwrap();
    }
}
