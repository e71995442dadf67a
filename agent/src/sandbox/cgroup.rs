//! Control groups for workloads: memory, CPU and process count enforced by the kernel, on cgroup v2
//! or v1 (memory, cpu and pids controllers), under the agent's own group. The agent needs write access
//! to the hierarchy (it has it as root); without it the job keeps only its RLIMITs, and the agent says so.

use std::ffi::CString;
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = "/sys/fs/cgroup";
const CPU_PERIOD_US: u64 = 100_000;

/// The limits a job's group enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupLimits {
    pub memory_bytes: u64,
    pub cores: u16,
    pub processes: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cgroups {
    /// The unified hierarchy: one directory per job under `base`.
    V2 { base: PathBuf },
    /// Separate hierarchies per controller: a directory per job under each base.
    V1 { memory: PathBuf, cpu: PathBuf, pids: PathBuf },
}

/// Which limit a job hit, as the bundle names it.
pub const MEMORY: &str = "memory";
pub const PROCESSES: &str = "processes";

impl Cgroups {
    /// The hierarchy this host offers the agent, with a `compute-market` group of its own created under
    /// the agent's current groups; none when there is no usable hierarchy or no right to write to it.
    pub fn detect() -> Option<Cgroups> {
        let own = fs::read_to_string("/proc/self/cgroup").ok()?;
        let cgroups = if Path::new(ROOT).join("cgroup.controllers").exists() {
            let path = own_path(&own, "")?;
            let base = Path::new(ROOT).join(path.trim_start_matches('/')).join("compute-market");
            fs::create_dir_all(&base).ok()?;
            let enabled = ["+memory", "+pids", "+cpu"].iter().all(|c| fs::write(base.join("cgroup.subtree_control"), c).is_ok());
            if !enabled {
                return None;
            }
            Cgroups::V2 { base }
        } else {
            let base = |controller: &str| {
                let path = own_path(&own, controller)?;
                let dir = Path::new(ROOT).join(controller).join(path.trim_start_matches('/')).join("compute-market");
                fs::create_dir_all(&dir).ok().map(|_| dir)
            };
            Cgroups::V1 { memory: base("memory")?, cpu: base("cpu")?, pids: base("pids")? }
        };
        Some(cgroups)
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Cgroups::V2 { .. } => "cgroups v2 (memory, cpu, pids)",
            Cgroups::V1 { .. } => "cgroups v1 (memory, cpu, pids)",
        }
    }

    /// A fresh group for one job, with its limits written.
    pub fn create(&self, name: &str, limits: &GroupLimits) -> Result<JobGroup, String> {
        let quota = u64::from(limits.cores.max(1)) * CPU_PERIOD_US;
        let group = match self {
            Cgroups::V2 { base } => {
                let dir = fresh(&base.join(name))?;
                write(&dir, "memory.max", &limits.memory_bytes.to_string())?;
                let _ = write(&dir, "memory.swap.max", "0");
                write(&dir, "pids.max", &limits.processes.to_string())?;
                write(&dir, "cpu.max", &format!("{quota} {CPU_PERIOD_US}"))?;
                JobGroup { v2: true, memory: dir.clone(), pids: dir.clone(), cpu: dir }
            }
            Cgroups::V1 { memory, cpu, pids } => {
                let group = JobGroup { v2: false, memory: fresh(&memory.join(name))?, pids: fresh(&pids.join(name))?, cpu: fresh(&cpu.join(name))? };
                write(&group.memory, "memory.limit_in_bytes", &limits.memory_bytes.to_string())?;
                // Swap counts as memory where the kernel accounts it.
                let _ = write(&group.memory, "memory.memsw.limit_in_bytes", &limits.memory_bytes.to_string());
                write(&group.pids, "pids.max", &limits.processes.to_string())?;
                write(&group.cpu, "cpu.cfs_period_us", &CPU_PERIOD_US.to_string())?;
                write(&group.cpu, "cpu.cfs_quota_us", &quota.to_string())?;
                group
            }
        };
        Ok(group)
    }
}

/// The group path of `controller` (empty for v2) in /proc/self/cgroup.
fn own_path(own: &str, controller: &str) -> Option<String> {
    own.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
        let matches = if controller.is_empty() { controllers.is_empty() } else { controllers.split(',').any(|c| c == controller) };
        matches.then(|| path.to_string())
    })
}

fn fresh(dir: &Path) -> Result<PathBuf, String> {
    if dir.exists() {
        let _ = fs::remove_dir(dir);
    }
    fs::create_dir(dir).map_err(|e| format!("cannot create cgroup {}: {e}", dir.display()))?;
    Ok(dir.to_path_buf())
}

fn write(dir: &Path, file: &str, value: &str) -> Result<(), String> {
    fs::write(dir.join(file), value).map_err(|e| format!("cannot set {}/{file} to {value}: {e}", dir.display()))
}

/// One job's group.
#[derive(Debug)]
pub struct JobGroup {
    v2: bool,
    memory: PathBuf,
    pids: PathBuf,
    cpu: PathBuf,
}

impl JobGroup {
    fn dirs(&self) -> Vec<&Path> {
        let mut dirs = vec![self.memory.as_path(), self.pids.as_path(), self.cpu.as_path()];
        dirs.dedup();
        dirs
    }

    /// The `cgroup.procs` files a process writes itself into (as "0") to join the group.
    pub fn join_paths(&self) -> Vec<CString> {
        self.dirs().iter().map(|d| CString::new(d.join("cgroup.procs").into_os_string().into_encoded_bytes()).expect("no NUL in a path")).collect()
    }

    /// The limit the group hit so far: the kernel's OOM killer ran in it, or a fork was refused.
    pub fn exceeded(&self) -> Option<&'static str> {
        let (memory_events, oom_field) = if self.v2 { ("memory.events", "oom_kill") } else { ("memory.oom_control", "oom_kill") };
        if counter(&self.memory.join(memory_events), oom_field) > 0 {
            return Some(MEMORY);
        }
        if counter(&self.pids.join("pids.events"), "max") > 0 {
            return Some(PROCESSES);
        }
        None
    }

    /// SIGKILLs every process in the group until none is left (bounded), then removes the group.
    pub fn kill_and_remove(self) {
        for _ in 0..100 {
            let pids: Vec<i32> = fs::read_to_string(self.pids.join("cgroup.procs"))
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.trim().parse().ok())
                .collect();
            if pids.is_empty() {
                break;
            }
            for pid in pids {
                // SAFETY: signals a process of this job's group; harmless if it is gone.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        for dir in self.dirs() {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// `name N` from a flat keyed file, 0 when absent.
fn counter(file: &Path, name: &str) -> u64 {
    fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_agents_own_groups() {
        let own = "9:name=systemd:/\n8:pids:/a\n4:memory:/process_api/x\n1:cpu,cpuacct:/c\n0::/unified\n";
        assert_eq!(own_path(own, "memory").as_deref(), Some("/process_api/x"));
        assert_eq!(own_path(own, "cpu").as_deref(), Some("/c"));
        assert_eq!(own_path(own, "pids").as_deref(), Some("/a"));
        assert_eq!(own_path(own, "").as_deref(), Some("/unified"));
        assert_eq!(own_path(own, "blkio"), None);
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cm-cgroup-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn read(dir: &Path, file: &str) -> String {
        fs::read_to_string(dir.join(file)).unwrap()
    }

    #[test]
    fn a_v1_group_gets_the_jobs_limits_in_each_controller() {
        let dir = scratch("v1");
        let bases: Vec<PathBuf> = ["memory", "cpu", "pids"].iter().map(|c| dir.join(c)).collect();
        bases.iter().for_each(|b| fs::create_dir_all(b).unwrap());
        let cgroups = Cgroups::V1 { memory: bases[0].clone(), cpu: bases[1].clone(), pids: bases[2].clone() };
        let group = cgroups.create("job", &GroupLimits { memory_bytes: 1 << 30, cores: 3, processes: 64 }).unwrap();
        assert_eq!(read(&bases[0].join("job"), "memory.limit_in_bytes"), "1073741824");
        assert_eq!(read(&bases[0].join("job"), "memory.memsw.limit_in_bytes"), "1073741824");
        assert_eq!(read(&bases[1].join("job"), "cpu.cfs_quota_us"), "300000");
        assert_eq!(read(&bases[1].join("job"), "cpu.cfs_period_us"), "100000");
        assert_eq!(read(&bases[2].join("job"), "pids.max"), "64");
        let joins: Vec<String> = group.join_paths().iter().map(|c| c.to_str().unwrap().to_string()).collect();
        let expected: Vec<String> = ["memory", "pids", "cpu"].iter().map(|c| dir.join(c).join("job/cgroup.procs").display().to_string()).collect();
        assert_eq!(joins, expected);
        assert_eq!(cgroups.describe(), "cgroups v1 (memory, cpu, pids)");

        assert_eq!(group.exceeded(), None);
        fs::write(bases[2].join("job/pids.events"), "max 1\n").unwrap();
        assert_eq!(group.exceeded(), Some(PROCESSES));
        fs::write(bases[0].join("job/memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n").unwrap();
        assert_eq!(group.exceeded(), Some(MEMORY), "memory is named first");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_v2_group_is_one_directory_with_every_limit() {
        let dir = scratch("v2");
        let cgroups = Cgroups::V2 { base: dir.clone() };
        let group = cgroups.create("job", &GroupLimits { memory_bytes: 512, cores: 0, processes: 9 }).unwrap();
        let job = dir.join("job");
        assert_eq!(
            ["memory.max", "memory.swap.max", "pids.max", "cpu.max"].map(|f| read(&job, f)),
            ["512", "0", "9", "100000 100000"],
            "a job of no cores still gets one"
        );
        assert_eq!(group.join_paths().len(), 1);
        assert_eq!(cgroups.describe(), "cgroups v2 (memory, cpu, pids)");
        fs::write(job.join("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n").unwrap();
        assert_eq!(group.exceeded(), None, "an OOM event without a kill is not the limit");
        fs::write(job.join("memory.events"), "oom 1\noom_kill 1\n").unwrap();
        assert_eq!(group.exceeded(), Some(MEMORY));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_group_that_cannot_be_written_is_an_error() {
        let cgroups = Cgroups::V2 { base: PathBuf::from("/nonexistent/compute-market") };
        let error = cgroups.create("job", &GroupLimits { memory_bytes: 1, cores: 1, processes: 1 }).unwrap_err();
        assert!(error.starts_with("cannot create cgroup /nonexistent/compute-market/job"), "{error}");
    }

    #[test]
    fn reads_event_counters() {
        let dir = std::env::temp_dir().join(format!("cm-cgroup-counter-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("oom"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n").unwrap();
        fs::write(dir.join("pids"), "max 17\n").unwrap();
        assert_eq!(counter(&dir.join("oom"), "oom_kill"), 2);
        assert_eq!(counter(&dir.join("pids"), "max"), 17);
        assert_eq!(counter(&dir.join("pids"), "oom_kill"), 0);
        assert_eq!(counter(&dir.join("absent"), "max"), 0);
        fs::remove_dir_all(dir).unwrap();
    }
}
