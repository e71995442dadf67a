//! Running a job's workload: a clean working directory with the spec's inputs, the command under the
//! job's limits, its duration as a hard timeout, and the outputs collected into a result bundle.
//!
//! Limits without a container runtime are the kernel's per-process limits, applied to the command's own
//! process group before it executes: the address space to the job's RAM (`RLIMIT_AS`), the size of any
//! file it writes to its storage (`RLIMIT_FSIZE`), CPU time to cores x duration (`RLIMIT_CPU`), the CPUs
//! it may run on to as many as its cores (`sched_setaffinity`), and `CUDA_VISIBLE_DEVICES` to its GPUs. It
//! dies with the agent (`PR_SET_PDEATHSIG`), and at the deadline the whole group is killed. With a
//! container runtime and a spec that names an image, the runtime's `--cpus`/`--memory` apply instead.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use compute_market::state::Resources;
use compute_market_client::bundle::{BundleFile, ResultBundle, BUNDLE_VERSION, OUTPUT_TAIL_BYTES};
use compute_market_client::spec::{relative_path, JobSpec};

const GIB: u64 = 1 << 30;

/// What a run needs besides the spec.
pub struct Run<'a> {
    pub job: String,
    pub spec: &'a JobSpec,
    pub limits: Resources,
    pub timeout: Duration,
    /// `docker` or `podman`, for specs that name an image.
    pub container_runtime: Option<&'a str>,
}

/// Prepares `dir` afresh, runs the workload and returns its bundle.
pub fn run(dir: &Path, run: &Run) -> Result<ResultBundle, String> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    let work = dir.join("work");
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    for input in &run.spec.inputs {
        let target = work.join(relative_path(&input.path)?);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        fs::write(&target, input.contents()?).map_err(|e| format!("cannot write input {}: {e}", input.path))?;
    }
    let stdout_path = dir.join("stdout.log");
    let stderr_path = dir.join("stderr.log");
    let mut command = command_for(run, &work)?;
    command
        .current_dir(&work)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).map_err(|e| e.to_string())?)
        .stderr(fs::File::create(&stderr_path).map_err(|e| e.to_string())?);
    let limits = run.limits;
    let cpu_seconds = u64::from(limits.cpu_cores.max(1)) * run.timeout.as_secs().max(1);
    // SAFETY: the closure runs in the forked child before exec and only makes async-signal-safe calls
    // (setsid, prctl, setrlimit, sched_setaffinity), allocating nothing.
    unsafe {
        command.pre_exec(move || apply_limits(&limits, cpu_seconds));
    }

    let started = Instant::now();
    let mut child = command.spawn().map_err(|e| format!("cannot run `{}`: {e}", run.spec.command[0]))?;
    let group = child.id() as i32;
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() >= run.timeout {
            timed_out = true;
            kill_group(group);
            break child.wait().map_err(|e| e.to_string())?;
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    // Whatever the command left running in its group goes with it.
    kill_group(group);

    let (files, missing) = collect(&work, &run.spec.outputs)?;
    Ok(ResultBundle {
        version: BUNDLE_VERSION,
        job: run.job.clone(),
        exit_code: status.code(),
        timed_out,
        runtime_ms: started.elapsed().as_millis() as u64,
        stdout: tail(&stdout_path),
        stderr: tail(&stderr_path),
        files,
        missing,
    })
}

fn command_for(run: &Run, work: &Path) -> Result<Command, String> {
    let spec = run.spec;
    match (&spec.image, run.container_runtime) {
        (None, _) => {
            let mut command = Command::new(&spec.command[0]);
            command
                .args(&spec.command[1..])
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into()))
                .env("HOME", work)
                .env("CUDA_VISIBLE_DEVICES", gpu_list(run.limits.gpus))
                .envs(&spec.env);
            Ok(command)
        }
        (Some(image), Some(runtime)) => {
            let mut command = Command::new(runtime);
            command.args(container_args(run, image, work));
            Ok(command)
        }
        (Some(image), None) => Err(format!("the spec runs in container image {image} and this agent has no container runtime")),
    }
}

/// `<runtime> run` arguments: the working directory mounted at /work, the job's CPUs and memory.
pub fn container_args(run: &Run, image: &str, work: &Path) -> Vec<String> {
    let mut args = vec!["run".into(), "--rm".into(), "-v".into(), format!("{}:/work", work.display()), "-w".into(), "/work".into()];
    if run.limits.cpu_cores > 0 {
        args.extend(["--cpus".into(), run.limits.cpu_cores.to_string()]);
    }
    if run.limits.ram_gb > 0 {
        args.extend(["--memory".into(), format!("{}g", run.limits.ram_gb)]);
    }
    for (key, value) in &run.spec.env {
        args.extend(["-e".into(), format!("{key}={value}")]);
    }
    args.push(image.into());
    args.extend(run.spec.command.iter().cloned());
    args
}

fn gpu_list(gpus: u16) -> String {
    (0..gpus).map(|g| g.to_string()).collect::<Vec<_>>().join(",")
}

fn apply_limits(limits: &Resources, cpu_seconds: u64) -> std::io::Result<()> {
    let check = |result: libc::c_int| if result == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) };
    // SAFETY: plain system calls on this (child) process with valid arguments.
    unsafe {
        libc::setsid();
        check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL))?;
        let limit = |resource, value: u64| {
            let rlimit = libc::rlimit { rlim_cur: value, rlim_max: value };
            check(libc::setrlimit(resource, &rlimit))
        };
        if limits.ram_gb > 0 {
            limit(libc::RLIMIT_AS, u64::from(limits.ram_gb) * GIB)?;
        }
        if limits.storage_gb > 0 {
            limit(libc::RLIMIT_FSIZE, u64::from(limits.storage_gb) * GIB)?;
        }
        limit(libc::RLIMIT_CPU, cpu_seconds)?;
        if limits.cpu_cores > 0 {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            let available = libc::sysconf(libc::_SC_NPROCESSORS_ONLN).max(1) as usize;
            for cpu in 0..usize::from(limits.cpu_cores).min(available) {
                libc::CPU_SET(cpu, &mut set);
            }
            check(libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set))?;
        }
    }
    Ok(())
}

fn kill_group(group: i32) {
    // SAFETY: signals the process group the child leads; harmless if it is gone.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}

/// The end of a log file, at most OUTPUT_TAIL_BYTES, as text.
fn tail(path: &Path) -> String {
    let bytes = fs::read(path).unwrap_or_default();
    let start = bytes.len().saturating_sub(OUTPUT_TAIL_BYTES);
    String::from_utf8_lossy(&bytes[start..]).into_owned()
}

/// The spec's outputs: files, and directories walked in name order.
fn collect(work: &Path, outputs: &[String]) -> Result<(Vec<BundleFile>, Vec<String>), String> {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for output in outputs {
        let path = work.join(relative_path(output)?);
        if path.is_dir() {
            let mut found = Vec::new();
            walk(&path, &mut found)?;
            found.sort();
            for file in found {
                let relative = file.strip_prefix(work).map_err(|e| e.to_string())?.to_string_lossy().into_owned();
                files.push(BundleFile::new(relative, &fs::read(&file).map_err(|e| e.to_string())?));
            }
        } else if path.is_file() {
            files.push(BundleFile::new(output.trim_end_matches('/').to_string(), &fs::read(&path).map_err(|e| e.to_string())?));
        } else {
            missing.push(output.clone());
        }
    }
    Ok((files, missing))
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in fs::read_dir(dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else if path.is_file() {
            found.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> JobSpec {
        JobSpec::parse(json.as_bytes()).unwrap()
    }

    fn dir(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("cm-workload-{name}-{}", std::process::id()))
    }

    const LIMITS: Resources = Resources { cpu_cores: 1, ram_gb: 1, storage_gb: 1, gpus: 0 };

    fn run_spec(name: &str, spec: &JobSpec, timeout: Duration) -> ResultBundle {
        let r = Run { job: "J".into(), spec, limits: LIMITS, timeout, container_runtime: None };
        run(&dir(name), &r).unwrap()
    }

    #[test]
    fn runs_the_command_with_inputs_env_and_collects_outputs() {
        let s = spec(
            r#"{"version":1,"command":["sh","-c","cat in.txt > out.txt; mkdir -p d/e; echo $GREETING > d/e/g.txt; echo done; nproc"],
                "env":{"GREETING":"hello"},"inputs":[{"path":"in.txt","text":"input"}],"outputs":["out.txt","d/","absent.txt"]}"#,
        );
        let bundle = run_spec("ok", &s, Duration::from_secs(20));
        assert_eq!((bundle.exit_code, bundle.timed_out), (Some(0), false));
        assert_eq!(bundle.stdout, "done\n1\n", "one core asked, one CPU visible");
        let paths: Vec<_> = bundle.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["out.txt", "d/e/g.txt"]);
        assert_eq!(bundle.files[0].contents().unwrap(), b"input");
        assert_eq!(bundle.files[1].contents().unwrap(), b"hello\n");
        assert_eq!(bundle.missing, ["absent.txt"]);
        fs::remove_dir_all(dir("ok")).unwrap();
    }

    #[test]
    fn the_duration_is_a_hard_timeout_and_limits_hold() {
        let slow = spec(r#"{"version":1,"command":["sh","-c","sleep 30"]}"#);
        let started = Instant::now();
        let bundle = run_spec("slow", &slow, Duration::from_millis(300));
        assert!(bundle.timed_out && bundle.exit_code.is_none());
        assert!(started.elapsed() < Duration::from_secs(5));
        // 1 GB of address space cannot buffer 1.4 GB.
        let greedy = spec(r#"{"version":1,"command":["sh","-c","head -c 1500000000 /dev/zero | tail -c 1400000000 > /dev/null"]}"#);
        let bundle = run_spec("greedy", &greedy, Duration::from_secs(60));
        assert_ne!(bundle.exit_code, Some(0));
        assert!(bundle.stderr.contains("memory exhausted"), "{}", bundle.stderr);
        for name in ["slow", "greedy"] {
            fs::remove_dir_all(dir(name)).unwrap();
        }
    }

    #[test]
    fn an_image_needs_a_runtime_and_the_runtime_gets_the_limits() {
        let s = spec(r#"{"version":1,"command":["python3","x.py"],"env":{"A":"1"},"image":"python:3.12"}"#);
        let r = Run { job: "J".into(), spec: &s, limits: LIMITS, timeout: Duration::from_secs(1), container_runtime: None };
        assert!(run(&dir("image"), &r).unwrap_err().contains("no container runtime"));
        let args = container_args(&r, "python:3.12", Path::new("/w"));
        assert_eq!(
            args.join(" "),
            "run --rm -v /w:/work -w /work --cpus 1 --memory 1g -e A=1 python:3.12 python3 x.py"
        );
        let _ = fs::remove_dir_all(dir("image"));
    }
}
