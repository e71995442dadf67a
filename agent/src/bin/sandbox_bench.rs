//! The sandbox's cost per job start: the same trivial job (`true`) through the runner unisolated and
//! sandboxed (namespaces, seccomp, Landlock, and cgroups and a job uid when run as root), from preparing its
//! directory to its bundle. Prints the medians and their difference; appends them to the report file given.

use std::time::{Duration, Instant};

use compute_market::state::Resources;
use compute_market_agent::sandbox::{self, Isolation, Sandbox};
use compute_market_agent::workload::{Run, Runner};
use compute_market_client::spec::JobSpec;

const RUNS: usize = 30;

fn median(runner: &Runner, root: &std::path::Path, name: &str) -> Duration {
    let spec = JobSpec::parse(br#"{"version":1,"command":["true"]}"#).unwrap();
    let limits = Resources { cpu_cores: 1, ram_gb: 1, storage_gb: 1, gpus: 0 };
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|i| {
            let run = Run { job: format!("{name}-{i}"), spec: &spec, limits, timeout: Duration::from_secs(30).into() };
            let started = Instant::now();
            let bundle = runner.run(&root.join(format!("{name}-{i}")), &run).expect("the job runs");
            assert_eq!(bundle.exit_code, Some(0), "{bundle:?}");
            started.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn main() {
    sandbox::enter_if_requested();
    let root = std::env::temp_dir().join(format!("cm-sandbox-bench-{}", std::process::id()));
    let sandbox = Sandbox::prepare(&root.join("jobs"), &std::env::current_exe().unwrap()).expect("this host isolates jobs");
    let describe = sandbox.describe();
    let sandboxed = Runner { isolation: Isolation::Sandboxed(sandbox), container: None, allow_network: false };
    let unisolated = Runner { isolation: Isolation::Unisolated, container: None, allow_network: false };
    // Warm both paths once (page cache, cgroup hierarchy).
    median(&unisolated, &root.join("jobs"), "warm-u");
    let plain = median(&unisolated, &root.join("jobs"), "plain");
    let isolated = median(&sandboxed, &root.join("jobs"), "isolated");
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    let line = format!(
        "Sandbox cost per job start (`true`, median of {RUNS}): {:.1} ms over unisolated ({:.1} ms sandboxed, {:.1} ms unisolated; {describe})",
        ms(isolated.saturating_sub(plain)),
        ms(isolated),
        ms(plain)
    );
    println!("{line}");
    let _ = std::fs::remove_dir_all(&root);
    if let Some(report) = std::env::args().nth(1) {
        let mut text = std::fs::read_to_string(&report).unwrap_or_default();
        text.push_str(&format!("\n{line}\n"));
        std::fs::write(&report, text).expect("the report file is writable");
    }
}
