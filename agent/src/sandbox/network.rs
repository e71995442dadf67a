//! Outbound network for the jobs a provider allows it: the sandbox keeps its own network namespace and
//! slirp4netns gives it a user-mode stack with the host's loopback cut off (`--disable-host-loopback`),
//! so neither the RPC node nor the agent's endpoint is reachable. bubblewrap reports the sandbox's PID on
//! INFO_FD and waits on BLOCK_FD until the stack is up.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Descriptor numbers the bwrap process sees.
pub const INFO_FD: i32 = 100;
pub const BLOCK_FD: i32 = 101;
/// slirp4netns's DNS forwarder, as the sandbox sees it.
pub const DNS: &str = "10.0.2.3";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    /// An empty network namespace: loopback only.
    None,
    /// Outbound through slirp4netns, host loopback unreachable.
    Slirp4netns,
}

/// The two pipes of the handshake: the parent's ends and the child's.
pub struct Handshake {
    info_read: File,
    block_write: File,
    pub child_ends: [OwnedFd; 2],
}

fn pipe() -> Result<(OwnedFd, OwnedFd), String> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two descriptors into the array we own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(format!("cannot create a pipe: {}", std::io::Error::last_os_error()));
    }
    // SAFETY: both descriptors were just opened and belong to nothing else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

impl Handshake {
    pub fn new() -> Result<Handshake, String> {
        let (info_read, info_write) = pipe()?;
        let (block_read, block_write) = pipe()?;
        Ok(Handshake { info_read: File::from(info_read), block_write: File::from(block_write), child_ends: [info_write, block_read] })
    }

    /// (descriptor, number in the child) for the child's setup.
    pub fn child_fds(&self) -> Vec<(i32, i32)> {
        vec![(self.child_ends[0].as_raw_fd(), INFO_FD), (self.child_ends[1].as_raw_fd(), BLOCK_FD)]
    }

    /// After the spawn: reads the sandbox's PID, attaches slirp4netns to it, waits until it is ready and
    /// lets the sandbox go on. Returns slirp4netns, to be killed when the job ends.
    pub fn connect(self, slirp4netns: &Path) -> Result<Child, String> {
        let Handshake { mut info_read, mut block_write, child_ends } = self;
        drop(child_ends);
        // Read until the JSON is whole: the sandbox may hold its copy of the pipe open until it runs.
        let mut info = Vec::new();
        let pid = loop {
            let mut chunk = [0u8; 256];
            let read = info_read.read(&mut chunk).map_err(|e| format!("reading the sandbox's info: {e}"))?;
            info.extend_from_slice(&chunk[..read]);
            if let Some(pid) = sandbox_pid(&String::from_utf8_lossy(&info)) {
                break pid;
            }
            if read == 0 || info.len() > 4096 {
                return Err(format!("the sandbox reported no PID: {:?}", String::from_utf8_lossy(&info)));
            }
        };
        let slirp = attach(slirp4netns, pid).map_err(|e| format!("slirp4netns did not bring the job's network up: {e}"))?;
        block_write.write_all(b"1").map_err(|e| format!("releasing the sandbox: {e}"))?;
        Ok(slirp)
    }
}

/// Starts slirp4netns on the sandbox `pid` and waits until it says the network is configured.
fn attach(slirp4netns: &Path, pid: u32) -> Result<Child, String> {
    let (ready_read, ready_write) = pipe()?;
    let ready_fd = ready_write.as_raw_fd();
    let mut command = Command::new(slirp4netns);
    command
        .args(["--configure", "--mtu=65520", "--disable-host-loopback", &format!("--ready-fd={ready_fd}")])
        // By path, not by PID: slirp4netns would otherwise join the PID's current user namespace, and
        // bubblewrap ends in a nested one (it maps root first, to mount /dev) that does not own the network.
        .args(["--netns-type=path", &format!("/proc/{pid}/ns/net"), "tap0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: only clears close-on-exec on a descriptor the parent owns, in the child before exec.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, move || {
            let flags = libc::fcntl(ready_fd, libc::F_GETFD);
            libc::fcntl(ready_fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC);
            Ok(())
        });
    }
    let mut slirp = command.spawn().map_err(|e| format!("cannot start slirp4netns: {e}"))?;
    drop(ready_write);
    let mut ready = [0u8; 1];
    if File::from(ready_read).read(&mut ready).map_err(|e| e.to_string())? != 1 {
        let _ = slirp.kill();
        let mut said = String::new();
        if let Some(mut stderr) = slirp.stderr.take() {
            let _ = stderr.read_to_string(&mut said);
        }
        let _ = slirp.wait();
        return Err(said.trim().to_string());
    }
    Ok(slirp)
}

/// `"child-pid": N` from bubblewrap's info JSON.
fn sandbox_pid(info: &str) -> Option<u32> {
    let value: serde_json::Value = serde_json::from_str(info.trim()).ok()?;
    value.get("child-pid")?.as_u64()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sandbox_pid() {
        assert_eq!(sandbox_pid("{\n    \"child-pid\": 4242\n}\n"), Some(4242));
        assert_eq!(sandbox_pid("{}"), None);
        assert_eq!(sandbox_pid("not json"), None);
    }
}
