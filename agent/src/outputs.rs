//! Collecting a job's outputs without ever leaving its working directory: every path is walked one
//! component at a time without following symbolic links, files are opened with O_NOFOLLOW and checked
//! after opening, and whatever is not a plain file of the job's own (symbolic links, hard links,
//! FIFOs, sockets, device files, files past the bundle's budget) is refused by name, never read.

use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Component, Path};

use compute_market_client::bundle::{BundleFile, RefusedOutput};
use compute_market_client::spec::relative_path;

/// The most bytes of output files one bundle carries.
pub const MAX_OUTPUT_BYTES: u64 = 64 << 20;
/// The most entries walked under one output directory, and the deepest nesting.
pub const MAX_ENTRIES: usize = 100_000;
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Collected {
    pub files: Vec<BundleFile>,
    pub missing: Vec<String>,
    pub refused: Vec<RefusedOutput>,
}

impl Collected {
    fn refuse(&mut self, path: &str, reason: &str) {
        self.refused.push(RefusedOutput { path: path.to_string(), reason: reason.to_string() });
    }
}

/// Why an entry of this type is not collected; none for a plain file or a directory.
fn refusal(meta: &fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_symlink() {
        Some("a symbolic link (not followed)")
    } else if kind.is_fifo() {
        Some("a FIFO (not read)")
    } else if kind.is_socket() {
        Some("a socket (not read)")
    } else if kind.is_block_device() || kind.is_char_device() {
        Some("a device file (not read)")
    } else if kind.is_file() && meta.nlink() > 1 {
        Some("a hard link to another file (not read)")
    } else {
        None
    }
}

/// The spec's outputs, found under `work`.
pub fn collect(work: &Path, outputs: &[String]) -> Result<Collected, String> {
    let mut collected = Collected::default();
    let mut budget = MAX_OUTPUT_BYTES;
    for output in outputs {
        let relative = relative_path(output)?;
        let name = output.trim_end_matches('/');
        let mut path = work.to_path_buf();
        let mut refused = false;
        let mut meta = None;
        for component in relative.components() {
            let Component::Normal(part) = component else { continue };
            path.push(part);
            match fs::symlink_metadata(&path) {
                Ok(found) if found.file_type().is_symlink() => {
                    collected.refuse(name, "a symbolic link (not followed)");
                    refused = true;
                    break;
                }
                Ok(found) => meta = Some(found),
                Err(_) => {
                    meta = None;
                    break;
                }
            }
        }
        if refused {
            continue;
        }
        match meta {
            None => collected.missing.push(output.clone()),
            Some(meta) if meta.is_dir() => {
                let mut entries = 0;
                walk(work, &path, 0, &mut entries, &mut budget, &mut collected);
            }
            Some(meta) => match refusal(&meta) {
                Some(reason) => collected.refuse(name, reason),
                None => read_file(&path, name, &mut budget, &mut collected),
            },
        }
    }
    Ok(collected)
}

fn walk(work: &Path, dir: &Path, depth: usize, entries: &mut usize, budget: &mut u64, collected: &mut Collected) {
    let name = |path: &Path| path.strip_prefix(work).unwrap_or(path).to_string_lossy().into_owned();
    if depth >= MAX_DEPTH {
        return collected.refuse(&name(dir), "nested too deep (not collected)");
    }
    let Ok(list) = fs::read_dir(dir) else { return collected.refuse(&name(dir), "a directory that cannot be read") };
    let mut found: Vec<_> = list.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    found.sort();
    for path in found {
        *entries += 1;
        if *entries > MAX_ENTRIES {
            return collected.refuse(&name(dir), "too many files (the rest not collected)");
        }
        let Ok(meta) = fs::symlink_metadata(&path) else { continue };
        if meta.is_dir() {
            walk(work, &path, depth + 1, entries, budget, collected);
        } else if let Some(reason) = refusal(&meta) {
            collected.refuse(&name(&path), reason);
        } else {
            read_file(&path, &name(&path), budget, collected);
        }
    }
}

/// Opens without following a link and without blocking on a FIFO, then checks what was opened.
fn read_file(path: &Path, name: &str, budget: &mut u64, collected: &mut Collected) {
    let file = fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(path);
    let Ok(mut file) = file else { return collected.refuse(name, "cannot be opened") };
    let Ok(meta) = file.metadata() else { return collected.refuse(name, "cannot be opened") };
    if let Some(reason) = refusal(&meta).or((!meta.is_file()).then_some("not a plain file (not read)")) {
        return collected.refuse(name, reason);
    }
    if meta.len() > *budget {
        return collected.refuse(name, "too large for the result bundle (not collected)");
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    if file.by_ref().take(*budget).read_to_end(&mut bytes).is_err() {
        return collected.refuse(name, "cannot be read");
    }
    *budget -= bytes.len() as u64;
    collected.files.push(BundleFile::new(name.to_string(), &bytes));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("cm-outputs-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("work")).unwrap();
        dir
    }

    fn names(refused: &[RefusedOutput]) -> Vec<(&str, &str)> {
        refused.iter().map(|r| (r.path.as_str(), r.reason.as_str())).collect()
    }

    #[test]
    fn collects_files_and_directories_in_name_order() {
        let dir = scratch("plain");
        let work = dir.join("work");
        fs::create_dir_all(work.join("d/e")).unwrap();
        fs::write(work.join("out.txt"), "out").unwrap();
        fs::write(work.join("d/b"), "b").unwrap();
        fs::write(work.join("d/e/a"), "a").unwrap();
        let collected = collect(&work, &["out.txt".into(), "d/".into(), "absent".into()]).unwrap();
        let paths: Vec<_> = collected.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["out.txt", "d/b", "d/e/a"]);
        assert_eq!(collected.files[2].contents().unwrap(), b"a");
        assert_eq!((collected.missing, collected.refused), (vec!["absent".to_string()], vec![]));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn never_follows_or_reads_what_is_not_the_jobs_own_plain_file() {
        let dir = scratch("hostile");
        let work = dir.join("work");
        let secret = dir.join("secret");
        fs::write(&secret, "provider key").unwrap();
        symlink(&secret, work.join("link.txt")).unwrap();
        symlink(&dir, work.join("linkdir")).unwrap();
        fs::hard_link(&secret, work.join("hard.txt")).unwrap();
        let fifo = std::ffi::CString::new(work.join("fifo").to_str().unwrap()).unwrap();
        // SAFETY: a valid path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        fs::create_dir(work.join("d")).unwrap();
        symlink(&secret, work.join("d/inner")).unwrap();
        fs::write(work.join("d/ok"), "ok").unwrap();
        let outputs: Vec<String> = ["link.txt", "linkdir/secret", "hard.txt", "fifo", "d/"].map(String::from).into();
        let collected = collect(&work, &outputs).unwrap();
        assert_eq!(
            names(&collected.refused),
            [
                ("link.txt", "a symbolic link (not followed)"),
                ("linkdir/secret", "a symbolic link (not followed)"),
                ("hard.txt", "a hard link to another file (not read)"),
                ("fifo", "a FIFO (not read)"),
                ("d/inner", "a symbolic link (not followed)"),
            ]
        );
        let paths: Vec<_> = collected.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["d/ok"]);
        assert!(collected.files.iter().all(|f| f.contents().unwrap() != b"provider key"));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_bundle_budget_bounds_what_is_read() {
        let dir = scratch("budget");
        let work = dir.join("work");
        let big = fs::File::create(work.join("big")).unwrap();
        big.set_len(MAX_OUTPUT_BYTES + 1).unwrap();
        fs::write(work.join("small"), "s").unwrap();
        let collected = collect(&work, &["big".into(), "small".into()]).unwrap();
        assert_eq!(names(&collected.refused), [("big", "too large for the result bundle (not collected)")]);
        assert_eq!(collected.files.len(), 1);
        fs::remove_dir_all(dir).unwrap();
    }
}
