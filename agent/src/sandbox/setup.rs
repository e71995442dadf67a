//! What a workload's process does to itself between fork and exec: join its cgroups, leave the agent's
//! session, take its RLIMITs and CPUs, drop to the job user, die with the agent, and put the descriptors
//! bubblewrap is told about where it expects them. All of it is async-signal-safe and allocates nothing.

use std::ffi::CString;
use std::os::fd::RawFd;

use compute_market::state::Resources;

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;

/// Memory for a job that asks for none.
pub const DEFAULT_MEMORY_BYTES: u64 = 512 * MIB;
/// Scratch storage for a job that asks for none.
pub const DEFAULT_STORAGE_BYTES: u64 = 256 * MIB;
/// Processes (and threads) one job may have at once.
pub const MAX_PROCESSES: u64 = 512;
/// Open files per process.
pub const MAX_OPEN_FILES: u64 = 1024;

/// The unprivileged user a workload runs as on the host when the agent is root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobUser {
    pub uid: u32,
    pub gid: u32,
}

/// A root agent runs each job as a uid (and gid) of its own from this range, so that nothing counted or
/// checked per user (process limits, signals, file ownership) is shared between jobs or with the host.
pub const JOB_UID_BASE: u32 = 2_000_000_000;
pub const JOB_UIDS: u32 = 1_000_000;

/// The user inside a rootless container or sandbox, and the one a non-root agent's files show (nobody).
pub const NOBODY: JobUser = JobUser { uid: 65534, gid: 65534 };

/// Whether this process runs as root (and so must drop privileges for every workload).
pub fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Who `job`'s workload runs as on the host: a uid of its own when the agent is root (a job never runs as
/// root), else none: the agent's own unprivileged user.
pub fn workload_user(job: &str) -> Option<JobUser> {
    running_as_root().then(|| JobUser::for_job(job))
}

impl JobUser {
    /// This process's own user.
    pub fn current() -> JobUser {
        // SAFETY: getuid and getgid have no preconditions.
        unsafe { JobUser { uid: libc::getuid(), gid: libc::getgid() } }
    }

    /// The job's own uid and gid, derived from its name (FNV-1a), in JOB_UID_BASE..+JOB_UIDS.
    pub fn for_job(job: &str) -> JobUser {
        let hash = job.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        let id = JOB_UID_BASE + (hash % u64::from(JOB_UIDS)) as u32;
        JobUser { uid: id, gid: id }
    }
}

/// A job's limits, from its requirements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub cores: u16,
    pub memory_bytes: u64,
    pub storage_bytes: u64,
    pub processes: u64,
    pub gpus: u16,
    /// CPU seconds: cores x duration.
    pub cpu_seconds: u64,
}

impl Limits {
    pub fn for_job(requirements: &Resources, duration_secs: u64) -> Limits {
        let or = |gb: u32, default: u64| if gb == 0 { default } else { u64::from(gb) * GIB };
        Limits {
            cores: requirements.cpu_cores.max(1),
            memory_bytes: or(requirements.ram_gb, DEFAULT_MEMORY_BYTES),
            storage_bytes: or(requirements.storage_gb, DEFAULT_STORAGE_BYTES),
            processes: MAX_PROCESSES,
            gpus: requirements.gpus,
            cpu_seconds: u64::from(requirements.cpu_cores.max(1)) * duration_secs.max(1),
        }
    }
}

/// The kernel limits of one child. `address_space` (RLIMIT_AS) and `processes` (RLIMIT_NPROC) are the
/// job's own when nothing else bounds them, looser when a cgroup does (so the cgroup, which can say
/// what happened, acts first).
#[derive(Clone, Debug)]
pub struct ChildLimits {
    pub address_space: u64,
    pub file_size: u64,
    pub cpu_seconds: u64,
    pub processes: u64,
    pub cores: u16,
}

impl ChildLimits {
    pub fn new(limits: &Limits, in_cgroup: bool) -> ChildLimits {
        ChildLimits {
            address_space: if in_cgroup { limits.memory_bytes.saturating_mul(2).saturating_add(GIB) } else { limits.memory_bytes },
            file_size: limits.storage_bytes,
            cpu_seconds: limits.cpu_seconds,
            // The cgroup's pids.max acts first where there is one; it can say what happened.
            processes: if in_cgroup { limits.processes.saturating_mul(2) } else { limits.processes },
            cores: limits.cores,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ChildSetup {
    pub limits: Option<ChildLimits>,
    /// `cgroup.procs` files to join.
    pub cgroup: Vec<CString>,
    pub user: Option<JobUser>,
    /// (open descriptor, number the child must see it as).
    pub fds: Vec<(RawFd, RawFd)>,
}

impl ChildSetup {
    /// Runs in the forked child before exec.
    pub fn apply(&self) -> std::io::Result<()> {
        let check = |result: libc::c_int| if result >= 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) };
        // SAFETY: plain system calls on this (child) process, with valid pointers into memory the parent
        // prepared before fork.
        unsafe {
            for procs in &self.cgroup {
                let fd = libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
                check(fd)?;
                let written = libc::write(fd, b"0".as_ptr().cast(), 1);
                libc::close(fd);
                if written != 1 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            libc::setsid();
            if let Some(limits) = &self.limits {
                let limit = |resource, value: u64| {
                    let rlimit = libc::rlimit { rlim_cur: value, rlim_max: value };
                    check(libc::setrlimit(resource, &rlimit))
                };
                limit(libc::RLIMIT_AS, limits.address_space)?;
                limit(libc::RLIMIT_FSIZE, limits.file_size)?;
                limit(libc::RLIMIT_CPU, limits.cpu_seconds)?;
                limit(libc::RLIMIT_NPROC, limits.processes)?;
                limit(libc::RLIMIT_NOFILE, MAX_OPEN_FILES)?;
                limit(libc::RLIMIT_CORE, 0)?;
                let mut set: libc::cpu_set_t = std::mem::zeroed();
                let available = libc::sysconf(libc::_SC_NPROCESSORS_ONLN).max(1) as usize;
                for cpu in 0..usize::from(limits.cores).min(available) {
                    libc::CPU_SET(cpu, &mut set);
                }
                check(libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set))?;
            }
            if let Some(user) = self.user {
                check(libc::setgroups(0, std::ptr::null()))?;
                check(libc::setgid(user.gid))?;
                check(libc::setuid(user.uid))?;
            }
            // After the user change, which clears it.
            check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL))?;
            for &(from, to) in &self.fds {
                check(libc::dup2(from, to))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_job_has_a_uid_of_its_own_in_the_range() {
        let a = JobUser::for_job("4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T");
        let b = JobUser::for_job("9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin");
        assert_ne!(a, b);
        assert_eq!(a, JobUser::for_job("4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T"));
        for user in [a, b, JobUser::for_job("")] {
            assert!((JOB_UID_BASE..JOB_UID_BASE + JOB_UIDS).contains(&user.uid) && user.gid == user.uid, "{user:?}");
        }
        // FNV-1a of "a" is 0xaf63dc4c8601ec8c.
        assert_eq!(JobUser::for_job("a"), JobUser { uid: 2_000_641_996, gid: 2_000_641_996 });
        assert_eq!(running_as_root(), JobUser::current().uid == 0);
    }

    #[test]
    fn limits_follow_the_job_with_floors_for_what_it_left_at_zero() {
        let asked = Resources { cpu_cores: 2, ram_gb: 3, storage_gb: 4, gpus: 1 };
        let limits = Limits::for_job(&asked, 60);
        assert_eq!(limits, Limits { cores: 2, memory_bytes: 3_221_225_472, storage_bytes: 4_294_967_296, processes: 512, gpus: 1, cpu_seconds: 120 });
        let nothing = Limits::for_job(&Resources { cpu_cores: 0, ram_gb: 0, storage_gb: 0, gpus: 0 }, 0);
        assert_eq!((nothing.cores, nothing.memory_bytes, nothing.storage_bytes, nothing.cpu_seconds), (1, 536_870_912, 268_435_456, 1));
    }

    #[test]
    fn the_address_space_limit_steps_back_when_a_cgroup_bounds_memory() {
        let limits = Limits::for_job(&Resources { cpu_cores: 1, ram_gb: 1, storage_gb: 1, gpus: 0 }, 10);
        assert_eq!(ChildLimits::new(&limits, false).address_space, 1_073_741_824);
        assert_eq!(ChildLimits::new(&limits, true).address_space, 3_221_225_472);
        assert_eq!(ChildLimits::new(&limits, true).file_size, 1_073_741_824);
        assert_eq!(ChildLimits::new(&limits, false).processes, MAX_PROCESSES);
        assert_eq!(ChildLimits::new(&limits, true).processes, 2 * MAX_PROCESSES);
    }
}
