//! Isolation for workloads. By default every workload runs in bubblewrap's fresh namespaces (user,
//! mount, PID, network, IPC, UTS, cgroup) with no capabilities, no new privileges, the system's program
//! and library directories read-only, a private `/tmp` and the job's working directory as the only
//! writable places; inside, [`init`] adds Landlock and a seccomp filter before the command runs. An agent
//! running as root runs each workload as an unprivileged uid of its own ([`JobUser::for_job`]), in cgroups that bound its
//! memory, CPU and processes. A job allowed outbound network gets a user-mode stack (slirp4netns) that
//! cannot reach the host's loopback.

pub mod cgroup;
pub mod init;
pub mod seccomp;
mod bwrap;
pub mod network;
pub mod setup;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub use bwrap::bwrap_args;
pub use cgroup::Cgroups;
pub use init::enter_if_requested;
pub use network::Network;
pub use setup::{running_as_root, workload_user, ChildSetup, JobUser, Limits, NOBODY};

/// How the agent runs workloads that do not name a container image.
#[derive(Clone, Debug)]
pub enum Isolation {
    Sandboxed(Sandbox),
    /// Only when the provider says so (`--dangerously-run-jobs-unisolated`): the workload runs with the
    /// agent's user, files and network, under RLIMITs alone.
    Unisolated,
}

impl Isolation {
    /// One line for logs and the provider's metadata.
    pub fn describe(&self) -> String {
        match self {
            Isolation::Sandboxed(sandbox) => sandbox.describe(),
            Isolation::Unisolated => "UNISOLATED: jobs run with this machine's files and network (--dangerously-run-jobs-unisolated)".into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Sandbox {
    pub bwrap: PathBuf,
    /// The sandbox's init (a copy of this executable) where the job user can reach it.
    pub init: PathBuf,
    /// Job directories live here; the job user can traverse it.
    pub jobs_root: PathBuf,
    pub cgroups: Option<Cgroups>,
    /// slirp4netns, for jobs allowed outbound network; none when it is not installed.
    pub slirp4netns: Option<PathBuf>,
    /// Landlock's status as the probe found it.
    pub landlock: String,
}

/// A program on PATH.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

impl Sandbox {
    /// Checks that this host can isolate workloads and prepares `jobs_root` and the init there; the error
    /// says exactly what is missing. `init` is the executable that runs [`enter_if_requested`] first.
    pub fn prepare(jobs_root: &Path, init: &Path) -> Result<Sandbox, String> {
        let bwrap = find_program("bwrap").ok_or(
            "cannot isolate jobs: bubblewrap (bwrap) is not installed (apt-get install bubblewrap; see SECURITY.md)",
        )?;
        fs::create_dir_all(jobs_root).map_err(|e| format!("cannot create {}: {e}", jobs_root.display()))?;
        fs::set_permissions(jobs_root, fs::Permissions::from_mode(0o711)).map_err(|e| e.to_string())?;
        if running_as_root() {
            reachable_by_others(jobs_root)?;
        }
        let copy = jobs_root.join(".sandbox-init");
        let _ = fs::remove_file(&copy);
        if fs::hard_link(init, &copy).is_err() {
            fs::copy(init, &copy).map_err(|e| format!("cannot copy the sandbox init to {}: {e}", copy.display()))?;
        }
        fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())?;
        let mut sandbox = Sandbox {
            bwrap,
            init: copy,
            jobs_root: jobs_root.to_path_buf(),
            cgroups: if running_as_root() { Cgroups::detect() } else { None },
            slirp4netns: find_program("slirp4netns"),
            landlock: String::new(),
        };
        sandbox.landlock = sandbox.probe()?;
        Ok(sandbox)
    }

    /// Runs the init in a sandbox of its own, as a job would run, and returns Landlock's status.
    fn probe(&self) -> Result<String, String> {
        let dir = self.jobs_root.join(".probe");
        let user = workload_user(".probe");
        let job = JobDir::create(&dir, user)?;
        let mut command = Command::new(&self.bwrap);
        command.args(bwrap_args(self, &job, user, &[], &Network::None, &[], &["--probe".into()]));
        command.env_clear().stdin(Stdio::null());
        let setup = ChildSetup { limits: None, cgroup: vec![], user, fds: vec![] };
        // SAFETY: ChildSetup::apply makes only async-signal-safe calls and allocates nothing.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut command, move || setup.apply());
        }
        let output = command.output().map_err(|e| format!("cannot isolate jobs: cannot run {}: {e}", self.bwrap.display()))?;
        let _ = fs::remove_dir_all(&dir);
        if !output.status.success() {
            return Err(format!(
                "cannot isolate jobs: a test sandbox failed ({}): {} (user namespaces must be enabled: sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0; see SECURITY.md)",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    }

    pub fn describe(&self) -> String {
        let user = if running_as_root() { "each job as a uid of its own" } else { "as the agent's own unprivileged user" };
        let cgroups = self.cgroups.as_ref().map_or("no cgroups (RLIMITs only)", |c| c.describe());
        let network = if self.slirp4netns.is_some() { "slirp4netns for allowed network" } else { "no slirp4netns: network jobs refused" };
        format!("sandboxed: bubblewrap namespaces, seccomp, {}, {cgroups}, {user}, {network}", self.landlock)
    }
}

/// Fails unless every directory from / to `dir` lets any user pass through (jobs' uids own nothing there).
fn reachable_by_others(dir: &Path) -> Result<(), String> {
    for ancestor in dir.ancestors() {
        let meta = fs::metadata(ancestor).map_err(|e| format!("{}: {e}", ancestor.display()))?;
        if meta.mode() & 0o001 == 0 {
            return Err(format!(
                "cannot isolate jobs under {}: job users cannot pass through {}; choose a jobs directory others may traverse (--jobs-dir)",
                dir.display(),
                ancestor.display()
            ));
        }
    }
    Ok(())
}

/// A job's directory: `work` (its working directory) and `tmp` (its /tmp), owned by the job user, and
/// the files the sandbox shows in /etc.
#[derive(Debug)]
pub struct JobDir {
    pub root: PathBuf,
    pub work: PathBuf,
    pub tmp: PathBuf,
    pub etc: PathBuf,
}

impl JobDir {
    pub fn create(root: &Path, user: Option<JobUser>) -> Result<JobDir, String> {
        if fs::symlink_metadata(root).is_ok() {
            fs::remove_dir_all(root).map_err(|e| format!("cannot clear {}: {e}", root.display()))?;
        }
        let job = JobDir { root: root.into(), work: root.join("work"), tmp: root.join("tmp"), etc: root.join("etc") };
        for dir in [&job.root, &job.work, &job.tmp, &job.etc] {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::set_permissions(&job.root, fs::Permissions::from_mode(0o711)).map_err(|e| e.to_string())?;
        let shown = user.unwrap_or_else(JobUser::current);
        fs::write(job.etc.join("passwd"), format!("job:x:{}:{}:job:/work:/bin/sh\n", shown.uid, shown.gid)).map_err(|e| e.to_string())?;
        fs::write(job.etc.join("group"), format!("job:x:{}:\n", shown.gid)).map_err(|e| e.to_string())?;
        fs::write(job.etc.join("resolv.conf"), format!("nameserver {}\n", network::DNS)).map_err(|e| e.to_string())?;
        for dir in [&job.work, &job.tmp] {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(|e| e.to_string())?;
        }
        if user.is_some() {
            job.give_to_job_user(user)?;
        }
        Ok(job)
    }

    /// Hands `work` and `tmp` (and the inputs written there) to the job user.
    pub fn give_to_job_user(&self, user: Option<JobUser>) -> Result<(), String> {
        let Some(user) = user else { return Ok(()) };
        for dir in [&self.work, &self.tmp] {
            chown_tree(dir, user)?;
        }
        Ok(())
    }
}

fn chown_tree(path: &Path, user: JobUser) -> Result<(), String> {
    std::os::unix::fs::lchown(path, Some(user.uid), Some(user.gid)).map_err(|e| format!("cannot hand {} to the job user: {e}", path.display()))?;
    let meta = fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        for entry in fs::read_dir(path).map_err(|e| e.to_string())? {
            chown_tree(&entry.map_err(|e| e.to_string())?.path(), user)?;
        }
    }
    Ok(())
}
