//! Workloads that name a container image, run by podman (or docker): no network unless allowed (then
//! podman's slirp4netns without host loopback), a read-only root, every capability dropped, no new
//! privileges, the job's process, memory and CPU limits, an unprivileged user, and the job's working
//! directory and private /tmp (both in its job directory, so its storage limit counts them) as the only mounts. GPUs go through CDI (`nvidia.com/gpu=N`).

use std::path::Path;
use std::process::{Command, Stdio};

use crate::sandbox::{find_program, JobUser, Limits};
use crate::sandbox::setup::MAX_OPEN_FILES;

/// runc for podman on a host that is not pure cgroup v2, when runc is installed.
fn oci_runtime(program: &str, pure_cgroup_v2: bool, runc_installed: bool) -> Option<String> {
    (program == "podman" && !pure_cgroup_v2 && runc_installed).then(|| "runc".to_string())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    /// `podman` or `docker`.
    pub program: String,
    /// An OCI runtime podman is told to use: runc on hosts with cgroup v1 or a hybrid hierarchy, where
    /// podman's default (crun) refuses to start containers.
    pub oci_runtime: Option<String>,
}

impl Container {
    /// Checks the runtime answers; picks runc for podman on a host that is not pure cgroup v2.
    pub fn detect(program: &str) -> Result<Container, String> {
        if !matches!(program, "podman" | "docker") {
            return Err(format!("container runtime `{program}` is not supported: use podman or docker"));
        }
        let version = Command::new(program).arg("--version").stdin(Stdio::null()).output();
        if !version.is_ok_and(|o| o.status.success()) {
            return Err(format!("container runtime `{program}` does not run here (install it: apt-get install {program})"));
        }
        let pure_v2 = Path::new("/sys/fs/cgroup/cgroup.controllers").exists();
        Ok(Container { program: program.into(), oci_runtime: oci_runtime(program, pure_v2, find_program("runc").is_some()) })
    }

    /// `run` arguments for one job.
    pub fn run_args(&self, name: &str, image: &str, work: &Path, tmp: &Path, user: JobUser, limits: &Limits, env: &[(String, String)], network: bool, command: &[String]) -> Result<Vec<String>, String> {
        let mut args: Vec<String> = Vec::new();
        if let Some(runtime) = &self.oci_runtime {
            args.extend(["--runtime".into(), runtime.clone()]);
        }
        args.extend(["run".into(), "--name".into(), name.into()]);
        let network = match (network, self.program.as_str()) {
            (false, _) => "none".to_string(),
            (true, "podman") => "slirp4netns:allow_host_loopback=false".to_string(),
            (true, _) => return Err("docker cannot keep a job from the host's network; network jobs need podman".into()),
        };
        args.extend(["--network".into(), network]);
        for flag in ["--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges"] {
            args.push(flag.into());
        }
        args.extend(["--user".into(), format!("{}:{}", user.uid, user.gid)]);
        args.extend(["--pids-limit".into(), limits.processes.to_string()]);
        args.extend(["--memory".into(), limits.memory_bytes.to_string(), "--memory-swap".into(), limits.memory_bytes.to_string()]);
        args.extend(["--cpus".into(), limits.cores.to_string()]);
        args.extend(["--ulimit".into(), format!("nofile={MAX_OPEN_FILES}:{MAX_OPEN_FILES}")]);
        // --pids-limit bounds the container; RLIMIT_NPROC (per host user: the job's own uid) stays behind it.
        args.extend(["--ulimit".into(), format!("nproc={0}:{0}", limits.processes.saturating_mul(2))]);
        args.extend(["--ulimit".into(), format!("fsize={0}:{0}", limits.storage_bytes)]);
        args.extend(["-v".into(), format!("{}:/tmp:rw", tmp.display())]);
        args.extend(["-v".into(), format!("{}:/work:rw", work.display()), "-w".into(), "/work".into()]);
        for gpu in 0..limits.gpus {
            args.extend(["--device".into(), format!("nvidia.com/gpu={gpu}")]);
        }
        for (key, value) in env {
            args.extend(["-e".into(), format!("{key}={value}")]);
        }
        args.push(image.into());
        args.extend(command.iter().cloned());
        Ok(args)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.program);
        if let Some(runtime) = &self.oci_runtime {
            command.args(["--runtime", runtime]);
        }
        command.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null());
        command
    }

    /// Whether the kernel's OOM killer ended the container.
    pub fn oom_killed(&self, name: &str) -> bool {
        self.command(&["inspect", "--format", "{{.State.OOMKilled}}", name])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "true")
    }

    /// Kills the container's processes; it stays to be inspected and removed.
    pub fn kill(&self, name: &str) {
        let _ = self.command(&["kill", "--signal", "KILL", name]).output();
    }

    /// Kills and removes the container, whatever state it is in.
    pub fn remove(&self, name: &str) {
        let _ = self.command(&["rm", "--force", name]).output();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_market::state::Resources;

    #[test]
    fn the_runtime_gets_every_restriction_and_the_limits() {
        let podman = Container { program: "podman".into(), oci_runtime: Some("runc".into()) };
        let limits = Limits::for_job(&Resources { cpu_cores: 2, ram_gb: 1, storage_gb: 1, gpus: 1 }, 60);
        let env = [("A".to_string(), "1".to_string())];
        let args = podman.run_args("cm-j", "busybox", Path::new("/w"), Path::new("/t"), JobUser { uid: 7, gid: 8 }, &limits, &env, false, &["sh".into(), "-c".into(), "true".into()]).unwrap();
        assert_eq!(
            args.join(" "),
            "--runtime runc run --name cm-j --network none --read-only --cap-drop ALL --security-opt no-new-privileges \
             --user 7:8 --pids-limit 512 --memory 1073741824 --memory-swap 1073741824 --cpus 2 \
             --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --ulimit fsize=1073741824:1073741824 \
             -v /t:/tmp:rw -v /w:/work:rw -w /work --device nvidia.com/gpu=0 -e A=1 busybox sh -c true"
        );
        let networked = podman.run_args("cm-j", "busybox", Path::new("/w"), Path::new("/t"), JobUser { uid: 7, gid: 8 }, &limits, &[], true, &["true".into()]).unwrap();
        assert!(networked.join(" ").contains("--network slirp4netns:allow_host_loopback=false"));
        let docker = Container { program: "docker".into(), oci_runtime: None };
        assert!(docker.run_args("cm-j", "busybox", Path::new("/w"), Path::new("/t"), JobUser { uid: 7, gid: 8 }, &limits, &[], true, &[]).unwrap_err().contains("need podman"));
        assert!(Container::detect("lxc").unwrap_err().contains("not supported"));
    }

    #[test]
    fn podman_uses_runc_only_where_crun_refuses_and_runc_is_there() {
        assert_eq!(oci_runtime("podman", false, true).as_deref(), Some("runc"));
        assert_eq!(oci_runtime("podman", true, true), None);
        assert_eq!(oci_runtime("podman", false, false), None);
        assert_eq!(oci_runtime("docker", false, true), None);
    }
}
