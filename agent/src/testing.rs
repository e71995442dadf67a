//! For tests of isolation: a container image made here, with no registry, from a root filesystem holding
//! one static busybox (Debian's busybox-static) and the tools hostile jobs use.

use std::path::Path;
use std::process::Command;

/// The image the isolation tests run their container jobs in.
pub const BUSYBOX_IMAGE: &str = "localhost/compute-market-test-busybox";

const TOOLS: &[&str] = &[
    "sh", "cat", "echo", "ls", "ln", "mkfifo", "kill", "pkill", "nc", "head", "tail", "tr", "sleep", "id", "mount", "su", "grep", "touch", "dd", "true",
];

/// Builds the root filesystem under `dir` and imports it as BUSYBOX_IMAGE with `program` (podman).
pub fn import_busybox_image(program: &str, dir: &Path) -> Result<(), String> {
    let rootfs = dir.join("rootfs");
    for sub in ["bin", "work", "tmp", "etc", "proc", "dev", "sys"] {
        std::fs::create_dir_all(rootfs.join(sub)).map_err(|e| e.to_string())?;
    }
    std::fs::copy("/bin/busybox", rootfs.join("bin/busybox")).map_err(|e| format!("no static busybox (apt-get install busybox-static): {e}"))?;
    for tool in TOOLS {
        let link = rootfs.join("bin").join(tool);
        if std::fs::symlink_metadata(&link).is_err() {
            std::os::unix::fs::symlink("busybox", link).map_err(|e| e.to_string())?;
        }
    }
    std::fs::write(rootfs.join("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n").map_err(|e| e.to_string())?;
    let tar = dir.join("rootfs.tar");
    let packed = Command::new("tar").arg("-C").arg(&rootfs).arg("-cf").arg(&tar).arg(".").status().map_err(|e| e.to_string())?;
    if !packed.success() {
        return Err("tar failed".into());
    }
    let imported = Command::new(program).arg("import").arg(&tar).arg(BUSYBOX_IMAGE).output().map_err(|e| e.to_string())?;
    if !imported.status.success() {
        return Err(format!("{program} import: {}", String::from_utf8_lossy(&imported.stderr)));
    }
    Ok(())
}
