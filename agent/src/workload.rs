//! Running a job's workload: a fresh job directory with the spec's inputs, the command isolated (the
//! sandbox by default, the container runtime for specs that name an image, or unisolated only when the
//! provider chose it), watched for its limits and its duration, and its outputs collected into a result
//! bundle that says which limit, if any, ended it and which outputs were refused.

use std::fs;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use compute_market::constants::MAX_JOB_DURATION_SECS;
use compute_market::state::Resources;
use compute_market_client::bundle::{ResultBundle, BUNDLE_VERSION, OUTPUT_TAIL_BYTES};
use compute_market_client::spec::{relative_path, JobSpec};

use crate::container::Container;
use crate::outputs;
use crate::sandbox::cgroup::{GroupLimits, JobGroup, MEMORY};
use crate::sandbox::network::Handshake;
use crate::sandbox::setup::ChildLimits;
use crate::sandbox::{bwrap_args, workload_user, ChildSetup, Isolation, JobDir, JobUser, Limits, Network, NOBODY};
use crate::storage;

/// Limits a bundle can name.
pub const DURATION: &str = "duration";
pub const STORAGE: &str = "storage";

/// How often the storage and the cgroup are checked while a job runs.
const WATCH_EVERY: Duration = Duration::from_millis(100);

/// How this agent runs workloads.
#[derive(Clone, Debug)]
pub struct Runner {
    pub isolation: Isolation,
    pub container: Option<Container>,
    /// The provider's policy: may a job that asks for outbound network have it.
    pub allow_network: bool,
}

/// What a run needs besides the runner.
pub struct Run<'a> {
    pub job: String,
    pub spec: &'a JobSpec,
    pub limits: Resources,
    /// How long the workload may run from its start; the agent lengthens it when the client extends the job.
    pub timeout: RunTime,
}

/// How long a workload may run, shared between the agent, which lengthens it when the job's client
/// extends the job on chain, and the watch that ends the workload once it has run that long.
#[derive(Clone, Debug, Default)]
pub struct RunTime(Arc<AtomicU64>);

impl RunTime {
    pub fn get(&self) -> Duration {
        Duration::from_millis(self.0.load(Ordering::Relaxed))
    }

    /// Lets the workload run `by` longer.
    pub fn extend(&self, by: Duration) {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.0.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |ms| Some(ms.saturating_add(by))).ok();
    }
}

impl From<Duration> for RunTime {
    fn from(duration: Duration) -> RunTime {
        RunTime(Arc::new(AtomicU64::new(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))))
    }
}

/// A workload in flight and what must be cleaned up after it.
struct Started {
    child: Child,
    group: Option<JobGroup>,
    slirp: Option<Child>,
    container: Option<String>,
}

impl Runner {
    /// Why this runner will not run `spec`, said before anything is started.
    pub fn refusal(&self, spec: &JobSpec) -> Option<String> {
        if spec.image.is_some() && self.container.is_none() {
            return Some("its spec needs a container runtime and this agent has none".into());
        }
        if spec.network && !self.allow_network {
            return Some("its spec asks for network access and this provider does not allow it".into());
        }
        if let (true, None, Isolation::Sandboxed(sandbox)) = (spec.network, &spec.image, &self.isolation) {
            if sandbox.slirp4netns.is_none() {
                return Some("its spec asks for network access and slirp4netns is not installed here".into());
            }
        }
        if spec.network && self.container.as_ref().is_some_and(|c| c.program == "docker") && spec.image.is_some() {
            return Some("its spec asks for network access, which this agent gives only through podman".into());
        }
        None
    }

    /// Prepares `dir` afresh, runs the workload and returns its bundle. The directory is removed
    /// afterwards, whatever happened: everything the client gets is in the bundle, and a job that filled
    /// its storage must not leave the provider's disk full.
    pub fn run(&self, dir: &Path, run: &Run) -> Result<ResultBundle, String> {
        if let Some(reason) = self.refusal(run.spec) {
            return Err(reason);
        }
        // The per-process CPU ceiling is a backstop for the watch, which ends the workload at its run time
        // and cannot lower a ceiling once set: it covers the longest a job can be extended to, so an
        // extension never trips it. The watch and the cgroup's CPU quota bound what a job really uses.
        let limits = Limits::for_job(&run.limits, u64::from(MAX_JOB_DURATION_SECS).max(run.timeout.get().as_secs()));
        let free = storage::available(dir)?;
        if free < limits.storage_bytes {
            return Err(format!(
                "not enough free disk for the job's storage: {} has {free} bytes free and the job may use {}",
                dir.display(),
                limits.storage_bytes
            ));
        }
        let user = workload_user(&run.job);
        let job = JobDir::create(dir, user);
        let bundle = job.as_ref().map_err(Clone::clone).and_then(|job| self.run_in(job, run, &limits, user));
        if let Err(error) = fs::remove_dir_all(dir) {
            if error.kind() != std::io::ErrorKind::NotFound {
                eprintln!("agent: job {}: cannot remove {}: {error}", run.job, dir.display());
            }
        }
        bundle
    }

    fn run_in(&self, job: &JobDir, run: &Run, limits: &Limits, user: Option<JobUser>) -> Result<ResultBundle, String> {
        for input in &run.spec.inputs {
            let target = job.work.join(relative_path(&input.path)?);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            fs::write(&target, input.contents()?).map_err(|e| format!("cannot write input {}: {e}", input.path))?;
        }
        job.give_to_job_user(user)?;
        let stdout_path = job.root.join("stdout.log");
        let stderr_path = job.root.join("stderr.log");
        let stdout = fs::File::create(&stdout_path).map_err(|e| e.to_string())?;
        let stderr = fs::File::create(&stderr_path).map_err(|e| e.to_string())?;

        let started_at = Instant::now();
        let mut started = self.start(job, run, limits, user, stdout, stderr)?;
        let (status, limit) = watch(&mut started, self.container.as_ref(), job, limits, &run.timeout, started_at);
        let limit = limit.or_else(|| self.finish(started, &status));
        let collected = outputs::collect(&job.work, &run.spec.outputs)?;
        Ok(ResultBundle {
            version: BUNDLE_VERSION,
            job: run.job.clone(),
            exit_code: status.code(),
            timed_out: limit.as_deref() == Some(DURATION),
            runtime_ms: started_at.elapsed().as_millis() as u64,
            stdout: tail(&stdout_path),
            stderr: tail(&stderr_path),
            files: collected.files,
            missing: collected.missing,
            limit_exceeded: limit,
            refused: collected.refused,
        })
    }

    fn start(&self, job: &JobDir, run: &Run, limits: &Limits, user: Option<JobUser>, stdout: fs::File, stderr: fs::File) -> Result<Started, String> {
        let spec = run.spec;
        let mut env: Vec<(String, String)> = vec![
            ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
            ("HOME".into(), "/work".into()),
            ("TMPDIR".into(), "/tmp".into()),
            ("CUDA_VISIBLE_DEVICES".into(), (0..limits.gpus).map(|g| g.to_string()).collect::<Vec<_>>().join(",")),
        ];
        env.extend(spec.env.iter().map(|(k, v)| (k.clone(), v.clone())));
        // The environment of the process the agent starts: bubblewrap passes the job's on with --setenv, a
        // container runtime gets its own PATH and HOME (the job's goes in with -e), an unisolated job its own.
        let (mut command, child_env, setup, group, handshake, container) = match (&spec.image, &self.isolation) {
            (Some(image), _) => {
                let container = self.container.as_ref().ok_or("no container runtime")?;
                let name = format!("cm-{}-{}", run.job, std::process::id());
                container.remove(&name);
                let mut command = Command::new(&container.program);
                command.args(container.run_args(&name, image, &job.work, &job.tmp, user.unwrap_or(NOBODY), limits, &env, spec.network, &spec.command)?);
                let own = ["PATH", "HOME"].map(|k| (k.to_string(), std::env::var(k).unwrap_or_default())).to_vec();
                let setup = ChildSetup { limits: None, cgroup: vec![], user: None, fds: vec![] };
                (command, own, setup, None, None, Some(name))
            }
            (None, Isolation::Sandboxed(sandbox)) => {
                let group_limits = GroupLimits { memory_bytes: limits.memory_bytes, cores: limits.cores, processes: limits.processes };
                let name = format!("{}-{}", run.job, std::process::id());
                let group = sandbox.cgroups.as_ref().map(|c| c.create(&name, &group_limits)).transpose()?;
                let network = if spec.network { Network::Slirp4netns } else { Network::None };
                let handshake = if spec.network { Some(Handshake::new()?) } else { None };
                let mut command = Command::new(&sandbox.bwrap);
                command.args(bwrap_args(sandbox, job, user, &env, &network, &spec.command, &[]));
                let setup = ChildSetup {
                    limits: Some(ChildLimits::new(limits, group.is_some())),
                    cgroup: group.as_ref().map(JobGroup::join_paths).unwrap_or_default(),
                    user,
                    fds: handshake.as_ref().map(Handshake::child_fds).unwrap_or_default(),
                };
                (command, vec![], setup, group, handshake, None)
            }
            (None, Isolation::Unisolated) => {
                let mut command = Command::new(&spec.command[0]);
                command.args(&spec.command[1..]).current_dir(&job.work);
                let home = job.work.to_string_lossy().into_owned();
                let env = env.into_iter().map(|(k, v)| if k == "HOME" { (k, home.clone()) } else { (k, v) }).collect();
                let setup = ChildSetup { limits: Some(ChildLimits::new(limits, false)), cgroup: vec![], user, fds: vec![] };
                (command, env, setup, None, None, None)
            }
        };
        command.env_clear().envs(child_env).stdin(Stdio::null()).stdout(stdout).stderr(stderr);
        // SAFETY: ChildSetup::apply makes only async-signal-safe calls and allocates nothing.
        unsafe {
            command.pre_exec(move || setup.apply());
        }
        let child = match command.spawn() {
            Ok(child) => child,
            Err(error) => {
                if let Some(group) = group {
                    group.kill_and_remove();
                }
                return Err(format!("cannot run `{}`: {error}", spec.command[0]));
            }
        };
        let mut started = Started { child, group, slirp: None, container };
        if let (Some(handshake), Isolation::Sandboxed(sandbox)) = (handshake, &self.isolation) {
            let slirp = sandbox.slirp4netns.as_deref().ok_or("slirp4netns is not installed")?;
            match handshake.connect(slirp) {
                Ok(slirp) => started.slirp = Some(slirp),
                Err(error) => {
                    kill(&mut started, None);
                    self.finish(started, &ExitStatus::from_raw(0));
                    return Err(error);
                }
            }
        }
        Ok(started)
    }

    /// Cleans up after the workload and reads which limit ended it, where only the aftermath tells.
    fn finish(&self, started: Started, status: &ExitStatus) -> Option<String> {
        let Started { group, slirp, container, .. } = started;
        let mut limit = None;
        if let Some(group) = group {
            limit = group.exceeded().map(String::from);
            group.kill_and_remove();
        }
        if let Some(mut slirp) = slirp {
            let _ = slirp.kill();
            let _ = slirp.wait();
        }
        if let (Some(name), Some(runtime)) = (container, &self.container) {
            if runtime.oom_killed(&name) {
                limit = Some(MEMORY.into());
            }
            runtime.remove(&name);
        }
        let file_size_signal = status.signal() == Some(libc::SIGXFSZ) || status.code() == Some(128 + libc::SIGXFSZ);
        limit.or_else(|| file_size_signal.then(|| STORAGE.into()))
    }
}

/// Waits for the workload, killing it at its run time (read on every poll, so an extension counts) or when it passes its storage, memory or process
/// limit. Returns its exit status and the limit that ended it, if the watch saw one.
fn watch(started: &mut Started, container: Option<&Container>, job: &JobDir, limits: &Limits, timeout: &RunTime, started_at: Instant) -> (ExitStatus, Option<String>) {
    let mut last_check = Instant::now();
    // Short jobs are noticed within a millisecond or two; long ones polled every 20 ms.
    let mut pause = Duration::from_millis(1);
    loop {
        if let Ok(Some(status)) = started.child.try_wait() {
            return (status, None);
        }
        let limit = if started_at.elapsed() >= timeout.get() {
            Some(DURATION.to_string())
        } else if last_check.elapsed() >= WATCH_EVERY {
            last_check = Instant::now();
            let over_storage = match storage::usage(&[&job.work, &job.tmp]) {
                Ok(used) => used > limits.storage_bytes,
                Err(_) => true,
            };
            if over_storage {
                Some(STORAGE.to_string())
            } else {
                started.group.as_ref().and_then(JobGroup::exceeded).map(String::from)
            }
        } else {
            None
        };
        if limit.is_some() {
            kill(started, container);
            let status = started.child.wait().unwrap_or_else(|_| ExitStatus::from_raw(libc::SIGKILL));
            return (status, limit);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// Kills the workload's process group (the sandbox's PID namespace goes with it) and its container.
fn kill(started: &mut Started, container: Option<&Container>) {
    // SAFETY: signals the process group the child leads; harmless if it is gone.
    unsafe {
        libc::kill(-(started.child.id() as i32), libc::SIGKILL);
    }
    if let (Some(name), Some(container)) = (&started.container, container) {
        container.kill(name);
    }
}

/// The end of a log file, at most OUTPUT_TAIL_BYTES, as text.
fn tail(path: &Path) -> String {
    let bytes = fs::read(path).unwrap_or_default();
    let start = bytes.len().saturating_sub(OUTPUT_TAIL_BYTES);
    String::from_utf8_lossy(&bytes[start..]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn spec(command: &str, outputs: &[&str]) -> JobSpec {
        JobSpec {
            version: 1,
            command: vec!["sh".into(), "-c".into(), command.into()],
            env: BTreeMap::new(),
            inputs: vec![],
            outputs: outputs.iter().map(|o| o.to_string()).collect(),
            image: None,
            network: false,
        }
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("cm-workload-{name}-{}", std::process::id())).join("job")
    }

    const UNISOLATED: Runner = Runner { isolation: Isolation::Unisolated, container: None, allow_network: false };

    #[test]
    fn a_job_whose_storage_the_disk_cannot_hold_is_refused_before_anything_is_created() {
        let dir = scratch("full");
        let spec = spec("echo ran > ran.txt", &["ran.txt"]);
        let limits = Resources { cpu_cores: 1, ram_gb: 1, storage_gb: u32::MAX, gpus: 0 };
        let run = Run { job: "full".into(), spec: &spec, limits, timeout: Duration::from_secs(5).into() };
        let error = UNISOLATED.run(&dir, &run).unwrap_err();
        assert!(error.starts_with("not enough free disk for the job's storage:"), "{error}");
        assert!(error.ends_with(&format!("the job may use {}", u64::from(u32::MAX) << 30)), "{error}");
        assert!(!dir.exists() && !dir.parent().unwrap().exists());
    }

    #[test]
    fn a_run_lengthened_while_it_runs_goes_on_to_its_new_time() {
        let spec = spec("sleep 1.5; echo ran > ran.txt", &["ran.txt"]);
        let limits = Resources { cpu_cores: 1, ram_gb: 1, storage_gb: 1, gpus: 0 };
        let short = Run { job: "short".into(), spec: &spec, limits, timeout: Duration::from_millis(500).into() };
        let cut = UNISOLATED.run(&scratch("short"), &short).unwrap();
        assert!(cut.timed_out && cut.files.is_empty(), "{cut:?}");

        let extended = Run { job: "extended".into(), spec: &spec, limits, timeout: Duration::from_millis(500).into() };
        let time = extended.timeout.clone();
        let lengthen = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            time.extend(Duration::from_secs(5));
        });
        let bundle = UNISOLATED.run(&scratch("extended"), &extended).unwrap();
        lengthen.join().unwrap();
        assert!(!bundle.timed_out && bundle.exit_code == Some(0), "{bundle:?}");
        assert_eq!(bundle.files[0].contents().unwrap(), b"ran\n");
        assert_eq!(extended.timeout.get(), Duration::from_millis(5_500));
        for name in ["short", "extended"] {
            fs::remove_dir_all(scratch(name).parent().unwrap()).ok();
        }
    }

    #[test]
    fn the_job_directory_is_given_back_after_the_run() {
        let dir = scratch("done");
        let spec = spec("echo ran > ran.txt; head -c 100000 /dev/zero > big", &["ran.txt"]);
        let limits = Resources { cpu_cores: 1, ram_gb: 1, storage_gb: 1, gpus: 0 };
        let run = Run { job: "done".into(), spec: &spec, limits, timeout: Duration::from_secs(30).into() };
        let bundle = UNISOLATED.run(&dir, &run).unwrap();
        assert_eq!((bundle.exit_code, bundle.files.len()), (Some(0), 1), "{bundle:?}");
        assert_eq!(bundle.files[0].contents().unwrap(), b"ran\n");
        assert!(!dir.exists(), "the job's directory outlived it");
        fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }
}
