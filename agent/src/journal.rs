//! The agent's journal: one small file per job recording how far the agent got with it, written before
//! the step it guards (atomically: temporary file, fsync, rename). After a crash the agent reads it back
//! and neither starts a job twice nor loses a finished result.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    /// Refused before starting; the reason was said once and is kept.
    Refused { reason: String },
    /// start_job is being sent.
    Starting,
    /// Started on chain; the workload's `attempt`-th run is (or was, before a crash) under way.
    Running { attempt: u32 },
    /// The bundle is on disk with this sha256; submit_result may not have landed yet.
    Finished { result_hash: String },
    /// submit_result landed.
    Submitted { result_hash: String },
}

pub struct Journal {
    dir: PathBuf,
}

impl Journal {
    pub fn open(dir: &Path) -> Result<Journal, String> {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create the journal at {}: {e}", dir.display()))?;
        Ok(Journal { dir: dir.to_path_buf() })
    }

    fn path(&self, job: &Pubkey) -> PathBuf {
        self.dir.join(format!("{job}.json"))
    }

    pub fn get(&self, job: &Pubkey) -> Option<Stage> {
        let bytes = fs::read(self.path(job)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Records `stage` durably before returning.
    pub fn set(&self, job: &Pubkey, stage: &Stage) -> Result<(), String> {
        let path = self.path(job);
        write_durably(&path, &serde_json::to_vec(stage).expect("a stage always serialises"))
            .map_err(|e| format!("cannot write the journal entry {}: {e}", path.display()))
    }
}

/// Replaces `path` with `bytes` all at once: a crash leaves the old contents or the new, never a mix.
pub fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("tmp");
    let mut file = fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&temporary, path)?;
    match path.parent() {
        Some(dir) => fs::File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_survive_a_reopen() {
        let dir = std::env::temp_dir().join(format!("cm-journal-{}", std::process::id()));
        let job = Pubkey::new_unique();
        let journal = Journal::open(&dir).unwrap();
        assert_eq!(journal.get(&job), None);
        journal.set(&job, &Stage::Running { attempt: 1 }).unwrap();
        journal.set(&job, &Stage::Finished { result_hash: "ab".into() }).unwrap();
        assert_eq!(Journal::open(&dir).unwrap().get(&job), Some(Stage::Finished { result_hash: "ab".into() }));
        fs::remove_dir_all(dir).unwrap();
    }
}
