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

/// How much one bundle may carry and how far a directory output is walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Bytes of output files.
    pub bytes: u64,
    /// Entries walked under one directory output.
    pub entries: usize,
    /// Directories nested under one directory output.
    pub depth: usize,
}

pub const BOUNDS: Bounds = Bounds { bytes: 64 << 20, entries: 100_000, depth: 64 };

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

/// The spec's outputs, found under `work`, within BOUNDS.
pub fn collect(work: &Path, outputs: &[String]) -> Result<Collected, String> {
    collect_within(work, outputs, BOUNDS)
}

pub fn collect_within(work: &Path, outputs: &[String], bounds: Bounds) -> Result<Collected, String> {
    let mut collected = Collected::default();
    let mut budget = bounds.bytes;
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
                let mut walked = Walk { work: &work, bounds, entries: 0, budget: &mut budget };
                walked.dir(&path, 0, &mut collected);
            }
            Some(meta) => match refusal(&meta) {
                Some(reason) => collected.refuse(name, reason),
                None => read_file(&path, name, &mut budget, &mut collected),
            },
        }
    }
    Ok(collected)
}

struct Walk<'a> {
    work: &'a Path,
    bounds: Bounds,
    entries: usize,
    budget: &'a mut u64,
}

impl Walk<'_> {
    fn name(&self, path: &Path) -> String {
        path.strip_prefix(self.work).unwrap_or(path).to_string_lossy().into_owned()
    }

    fn dir(&mut self, dir: &Path, depth: usize, collected: &mut Collected) {
        if depth > self.bounds.depth {
            return collected.refuse(&self.name(dir), "nested too deep (not collected)");
        }
        let Ok(list) = fs::read_dir(dir) else { return collected.refuse(&self.name(dir), "a directory that cannot be read") };
        let mut found: Vec<_> = list.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        found.sort();
        for path in found {
            self.entries += 1;
            if self.entries > self.bounds.entries {
                return collected.refuse(&self.name(dir), "too many files (the rest not collected)");
            }
            let Ok(meta) = fs::symlink_metadata(&path) else { continue };
            if meta.is_dir() {
                self.dir(&path, depth + 1, collected);
            } else if let Some(reason) = refusal(&meta) {
                collected.refuse(&self.name(&path), reason);
            } else {
                read_file(&path, &self.name(&path), self.budget, collected);
            }
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
        big.set_len(BOUNDS.bytes + 1).unwrap();
        fs::write(work.join("small"), "s").unwrap();
        let collected = collect(&work, &["big".into(), "small".into()]).unwrap();
        assert_eq!(names(&collected.refused), [("big", "too large for the result bundle (not collected)")]);
        assert_eq!(collected.files.len(), 1);
        assert_eq!(BOUNDS.bytes, 67_108_864);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_budget_is_spent_file_by_file_and_a_file_that_fits_exactly_is_kept() {
        let dir = scratch("spent");
        let work = dir.join("work");
        for (name, text) in [("a", "abc"), ("b", "de"), ("c", "f")] {
            fs::write(work.join(name), text).unwrap();
        }
        let bounds = Bounds { bytes: 5, ..BOUNDS };
        let collected = collect_within(&work, &["a".into(), "b".into(), "c".into()], bounds).unwrap();
        let paths: Vec<_> = collected.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a", "b"], "3 + 2 bytes fill a budget of 5");
        assert_eq!(names(&collected.refused), [("c", "too large for the result bundle (not collected)")]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn directory_walks_stop_at_their_entry_and_depth_bounds() {
        let dir = scratch("bounds");
        let work = dir.join("work");
        fs::create_dir_all(work.join("d/e/f")).unwrap();
        fs::write(work.join("d/1"), "1").unwrap();
        fs::write(work.join("d/e/2"), "2").unwrap();
        fs::write(work.join("d/e/f/3"), "3").unwrap();
        let all = collect_within(&work, &["d/".into()], Bounds { entries: 5, depth: 2, ..BOUNDS }).unwrap();
        assert_eq!((all.files.len(), all.refused.len()), (3, 0), "5 entries at depth 2 are within bounds: {:?}", all.refused);
        let shallow = collect_within(&work, &["d/".into()], Bounds { depth: 1, ..BOUNDS }).unwrap();
        assert_eq!(names(&shallow.refused), [("d/e/f", "nested too deep (not collected)")]);
        assert_eq!(shallow.files.len(), 2);
        let few = collect_within(&work, &["d/".into()], Bounds { entries: 4, ..BOUNDS }).unwrap();
        assert_eq!(names(&few.refused), [("d/e/f", "too many files (the rest not collected)")]);
        assert_eq!(few.files.len(), 2);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn sockets_and_device_files_are_refused_by_kind() {
        let dir = scratch("kinds");
        let work = dir.join("work");
        let _socket = std::os::unix::net::UnixListener::bind(work.join("sock")).unwrap();
        let device = std::ffi::CString::new(work.join("null").to_str().unwrap()).unwrap();
        // SAFETY: a valid path; creating a device node needs root, as the agent has in CI.
        let made = unsafe { libc::mknod(device.as_ptr(), libc::S_IFCHR | 0o600, libc::makedev(1, 3)) } == 0;
        assert_eq!(made, crate::sandbox::running_as_root());
        let collected = collect(&work, &["sock".into(), "null".into()]).unwrap();
        let mut expected = vec![("sock", "a socket (not read)")];
        if made {
            expected.push(("null", "a device file (not read)"));
        }
        assert_eq!(names(&collected.refused), expected);
        assert!(collected.files.is_empty());
        fs::remove_dir_all(dir).unwrap();
    }
}
