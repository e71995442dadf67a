//! How much disk a job's directories use: blocks allocated (sparse files count what they really take),
//! walked without following links and bounded in entries and depth. A tree the walk cannot measure
//! counts as over the limit.

use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub const MAX_ENTRIES: usize = 200_000;
pub const MAX_DEPTH: usize = 128;

/// Bytes allocated under `dirs`, or why they cannot be measured.
pub fn usage(dirs: &[&Path]) -> Result<u64, String> {
    usage_within(dirs, MAX_ENTRIES, MAX_DEPTH)
}

pub fn usage_within(dirs: &[&Path], max_entries: usize, max_depth: usize) -> Result<u64, String> {
    let mut total = 0u64;
    let mut entries = 0usize;
    let mut stack: Vec<(std::path::PathBuf, usize)> = dirs.iter().map(|d| (d.to_path_buf(), 0)).collect();
    while let Some((dir, depth)) = stack.pop() {
        if depth > max_depth {
            return Err(format!("directories nested deeper than {max_depth}"));
        }
        let list = fs::read_dir(&dir).map_err(|e| format!("a directory that cannot be measured: {e}"))?;
        for entry in list {
            let entry = entry.map_err(|e| e.to_string())?;
            entries += 1;
            if entries > max_entries {
                return Err(format!("more than {max_entries} files"));
            }
            let meta = entry.metadata().map_err(|e| e.to_string())?;
            total = total.saturating_add(meta.blocks().saturating_mul(512));
            if meta.is_dir() {
                stack.push((entry.path(), depth + 1));
            }
        }
    }
    Ok(total)
}

/// Bytes an unprivileged writer may still allocate on the filesystem that holds `path` (or would hold
/// it: the nearest existing ancestor is measured).
pub fn available(path: &Path) -> Result<u64, String> {
    let existing = path.ancestors().find(|p| p.exists()).ok_or_else(|| format!("{} has no existing ancestor", path.display()))?;
    let name = CString::new(existing.as_os_str().as_bytes()).map_err(|e| e.to_string())?;
    // SAFETY: `name` is a NUL-terminated path and `stats` a plain struct statvfs fills in.
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(name.as_ptr(), &mut stats) } != 0 {
        return Err(format!("cannot measure the free space of {}: {}", existing.display(), std::io::Error::last_os_error()));
    }
    Ok((stats.f_bavail as u64).saturating_mul(stats.f_frsize as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_allocated_bytes_not_links_or_holes() {
        let dir = std::env::temp_dir().join(format!("cm-storage-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("a/b")).unwrap();
        fs::write(dir.join("a/b/data"), vec![7u8; 1 << 20]).unwrap();
        fs::File::create(dir.join("sparse")).unwrap().set_len(1 << 30).unwrap();
        std::os::unix::fs::symlink("/usr", dir.join("usr")).unwrap();
        let used = usage(&[&dir]).unwrap();
        assert!((1 << 20..(1 << 20) + (1 << 18)).contains(&used), "{used}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn free_space_is_measured_on_the_nearest_existing_ancestor() {
        let dir = std::env::temp_dir().join(format!("cm-storage-free-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let df = std::process::Command::new("df").args(["-B1", "--output=avail"]).arg(&dir).output().unwrap();
        let by_df: u64 = String::from_utf8_lossy(&df.stdout).lines().nth(1).unwrap().trim().parse().unwrap();
        let here = available(&dir).unwrap();
        let below = available(&dir.join("not/yet/created")).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        // Other processes write and delete meanwhile: the readings agree to within what they can move.
        assert!(here.abs_diff(by_df) < 1 << 30, "statvfs {here}, df {by_df}");
        assert!(here.abs_diff(below) < 1 << 30, "{here} {below}");
    }

    #[test]
    fn a_tree_past_its_bounds_cannot_be_measured() {
        let dir = std::env::temp_dir().join(format!("cm-storage-bounds-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("a/b")).unwrap();
        fs::write(dir.join("a/b/f"), "x").unwrap();
        // Three entries (a, a/b, a/b/f) two directories deep.
        assert!(usage_within(&[&dir], 3, 2).is_ok());
        assert_eq!(usage_within(&[&dir], 2, 2).unwrap_err(), "more than 2 files");
        assert_eq!(usage_within(&[&dir], 3, 1).unwrap_err(), "directories nested deeper than 1");
        let two = usage_within(&[&dir.join("a/b"), &dir.join("a/b")], 3, 2).unwrap();
        assert_eq!(two, 2 * usage_within(&[&dir.join("a/b")], 3, 2).unwrap(), "each directory counts");
        fs::remove_dir_all(dir).unwrap();
    }
}
