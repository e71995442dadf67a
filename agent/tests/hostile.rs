//! Hostile workloads against the real runner, in the default sandbox and in a podman container built
//! here from a static busybox root: each must end contained, with the provider's files byte for byte
//! unchanged and this process (the agent's stand-in) alive; plus one well-behaved job per mode.
//!
//! A custom harness: this binary is also the sandbox's init, so `main` must call
//! `enter_if_requested` before anything else. It prints `N passed, N failed` at the end.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use compute_market::state::Resources;
use compute_market_agent::container::Container;
use compute_market_agent::sandbox::{self, Isolation, JobUser, Sandbox};
use compute_market_agent::workload::{Run, Runner};
use compute_market_client::bundle::ResultBundle;
use compute_market_client::spec::JobSpec;

use compute_market_agent::testing::{import_busybox_image, BUSYBOX_IMAGE as IMAGE};
const LIMITS: Resources = Resources { cpu_cores: 1, ram_gb: 1, storage_gb: 1, gpus: 0 };

struct World {
    root: PathBuf,
    /// The provider's files a job must never see or change.
    secrets: Vec<PathBuf>,
    sandbox: Sandbox,
    container: Option<Container>,
}

impl World {
    fn new() -> World {
        let root = std::env::temp_dir().join(format!("cm-hostile-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let provider = root.join("provider");
        std::fs::create_dir_all(provider.join("agent")).unwrap();
        let secrets = vec![provider.join("id.json"), provider.join("agent/journal")];
        std::fs::write(&secrets[0], "[1,2,3,\"provider secret key\"]").unwrap();
        std::fs::write(&secrets[1], "journal: provider secret").unwrap();
        let jobs = root.join("jobs");
        let sandbox = Sandbox::prepare(&jobs, &std::env::current_exe().unwrap()).expect("this host isolates jobs");
        println!("sandbox: {}", sandbox.describe());
        let container = Container::detect("podman").ok().filter(|_| build_image(&root));
        World { root, secrets, sandbox, container }
    }

    fn snapshot(&self) -> Vec<Vec<u8>> {
        self.secrets.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }

    fn runner(&self, container: bool, allow_network: bool) -> Runner {
        Runner {
            isolation: Isolation::Sandboxed(self.sandbox.clone()),
            container: if container { self.container.clone() } else { None },
            allow_network,
        }
    }
}

/// The busybox image, imported with podman.
fn build_image(root: &Path) -> bool {
    match import_busybox_image("podman", root) {
        Ok(()) => true,
        Err(error) => {
            println!("podman tier: {error}");
            false
        }
    }
}

fn spec(command: &str, outputs: &[&str], image: bool) -> JobSpec {
    JobSpec {
        version: 1,
        command: vec!["sh".into(), "-c".into(), command.into()],
        env: BTreeMap::new(),
        inputs: vec![],
        outputs: outputs.iter().map(|o| o.to_string()).collect(),
        image: image.then(|| IMAGE.to_string()),
        network: false,
    }
}

fn run(world: &World, runner: &Runner, name: &str, spec: &JobSpec, limits: Resources, timeout: Duration) -> ResultBundle {
    let run = Run { job: name.into(), spec, limits, timeout: timeout.into() };
    runner.run(&world.root.join("runs").join(name), &run).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A bundle in a few lines, for failure messages.
fn brief(bundle: &ResultBundle) -> String {
    let cut = |s: &str| s.chars().take(400).collect::<String>();
    format!(
        "exit {:?}, limit {:?}, {} ms, files {:?}, missing {:?}, refused {:?}\nstdout: {}\nstderr: {}",
        bundle.exit_code,
        bundle.limit_exceeded,
        bundle.runtime_ms,
        bundle.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
        bundle.missing,
        bundle.refused,
        cut(&bundle.stdout),
        cut(&bundle.stderr)
    )
}

fn everything(bundle: &ResultBundle) -> String {
    let files: Vec<String> = bundle.files.iter().map(|f| String::from_utf8_lossy(&f.contents().unwrap()).into_owned()).collect();
    format!("{}\n{}\n{}", bundle.stdout, bundle.stderr, files.join("\n"))
}

/// Every hostile job, in one mode.
fn hostile(world: &World, container: bool) {
    let mode = if container { "container" } else { "sandbox" };
    let runner = world.runner(container, false);
    let before = world.snapshot();
    let secret = world.secrets[0].display().to_string();
    let journal = world.secrets[1].display().to_string();
    let short = Duration::from_secs(30);

    // Reading the provider's keypair, the agent's journal and /etc/shadow.
    let reader = spec(&format!("cat {secret}; cat {journal}; cat /etc/shadow; ls /root /home; cat {secret} > out.txt"), &["out.txt"], container);
    let bundle = run(world, &runner, &format!("{mode}-read"), &reader, LIMITS, short);
    let seen = everything(&bundle);
    assert!(!seen.contains("secret"), "{mode}: a job read the provider's files: {seen}");
    let shadow = std::fs::read_to_string("/etc/shadow").unwrap_or_default();
    let root_entry = shadow.lines().next().unwrap_or("root:");
    assert!(!seen.contains(root_entry), "{mode}: a job read /etc/shadow: {seen}");

    // Writing outside its working directory.
    let outside = world.root.join("provider/planted");
    let writer = spec(&format!("echo x > {}; echo x > {secret}; echo x > /usr/planted; echo x > /planted; echo x > /etc/planted; true", outside.display()), &[], container);
    run(world, &runner, &format!("{mode}-write"), &writer, LIMITS, short);
    for path in [outside, PathBuf::from("/usr/planted"), PathBuf::from("/planted"), PathBuf::from("/etc/planted")] {
        assert!(!path.exists(), "{mode}: a job wrote {}", path.display());
    }

    // A symbolic link, a hard link and a FIFO as outputs.
    let links = spec(&format!("ln -s {secret} link.txt; ln -s /etc/passwd passwd.txt; echo mine > own; ln own hard.txt; mkfifo fifo; echo ok > ok.txt"), &["link.txt", "passwd.txt", "hard.txt", "fifo", "ok.txt"], container);
    let bundle = run(world, &runner, &format!("{mode}-links"), &links, LIMITS, short);
    let refused: Vec<(&str, &str)> = bundle.refused.iter().map(|r| (r.path.as_str(), r.reason.as_str())).collect();
    assert_eq!(
        refused,
        [
            ("link.txt", "a symbolic link (not followed)"),
            ("passwd.txt", "a symbolic link (not followed)"),
            ("hard.txt", "a hard link to another file (not read)"),
            ("fifo", "a FIFO (not read)"),
        ],
        "{mode}"
    );
    assert_eq!(bundle.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["ok.txt"], "{mode}");

    // Killing the agent and every process it can see.
    let bystander = Command::new("sleep").arg("300").spawn().unwrap();
    let killer = spec(&format!("kill -9 -1; kill -9 {} {}; kill -9 1; echo still here", std::process::id(), bystander.id()), &[], container);
    run(world, &runner, &format!("{mode}-kill"), &killer, LIMITS, short);
    assert!(Path::new(&format!("/proc/{}", bystander.id())).exists(), "{mode}: a job killed a host process");
    let mut bystander = bystander;
    bystander.kill().unwrap();
    bystander.wait().unwrap();

    // Connecting to the host's loopback (the RPC node and the agent's endpoint listen there).
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let connect = if container { format!("echo hi | nc -w 2 127.0.0.1 {port} && echo CONNECTED") } else { format!("echo hi > /dev/tcp/127.0.0.1/{port} && echo CONNECTED") };
    let connector = JobSpec { command: vec![if container { "sh" } else { "bash" }.into(), "-c".into(), connect], ..spec("", &[], container) };
    let bundle = run(world, &runner, &format!("{mode}-connect"), &connector, LIMITS, short);
    assert!(!bundle.stdout.contains("CONNECTED"), "{mode}: {}", bundle.stdout);
    assert!(listener.accept().is_err(), "{mode}: a job reached the host's loopback");

    // A fork bomb.
    let bomb = spec("b() { b | b & }; b; sleep 20", &[], container);
    let bundle = run(world, &runner, &format!("{mode}-forkbomb"), &bomb, LIMITS, Duration::from_secs(10));
    if !container && world.sandbox.cgroups.is_some() {
        assert_eq!(bundle.limit_exceeded.as_deref(), Some("processes"), "{mode}: {}", brief(&bundle));
    } else {
        assert!(bundle.exit_code != Some(0) || bundle.limit_exceeded.is_some(), "{mode}: {}", brief(&bundle));
    }

    // Memory past its RAM (1 GB).
    // The job's own shell holds 1.5 GB in a variable.
    let hog = spec("x=$(head -c 1500000000 /dev/zero | tr '\\0' a); echo ${#x}", &[], container);
    let bundle = run(world, &runner, &format!("{mode}-memory"), &hog, LIMITS, Duration::from_secs(60));
    assert_ne!(bundle.exit_code, Some(0), "{mode}: {}", brief(&bundle));
    if !container && world.sandbox.cgroups.is_some() {
        assert_eq!(bundle.limit_exceeded.as_deref(), Some("memory"), "{mode}: {}", brief(&bundle));
    } else if container {
        // Killed by the kernel; podman 4.3 with runc on cgroup v1 does not report OOMKilled, so the
        // bundle names the limit only where the runtime does.
        assert_eq!(bundle.exit_code, Some(137), "{mode}: {}", brief(&bundle));
    }

    // Filling the disk past its storage (1 GB).
    let filler = spec("for i in 1 2 3 4 5 6; do head -c 300000000 /dev/zero > fill$i; done; echo filled", &[], container);
    let bundle = run(world, &runner, &format!("{mode}-disk"), &filler, LIMITS, Duration::from_secs(120));
    assert_eq!(bundle.limit_exceeded.as_deref(), Some("storage"), "{mode}: {}", brief(&bundle));
    assert!(!bundle.stdout.contains("filled"), "{mode}");
    assert!(!world.root.join("runs").join(format!("{mode}-disk")).exists(), "{mode}: the filled disk was not given back");

    // Outliving its duration, and leaving a daemon behind.
    let marker = format!("{}{}", 7_000 + std::process::id() % 1000, if container { 1 } else { 2 });
    let sleeper = spec(&format!("sleep {marker} & sleep 300"), &[], container);
    let bundle = run(world, &runner, &format!("{mode}-duration"), &sleeper, LIMITS, Duration::from_secs(2));
    assert!(bundle.timed_out && bundle.limit_exceeded.as_deref() == Some("duration"), "{mode}: {}", brief(&bundle));
    assert!(bundle.runtime_ms < 15_000, "{mode}: {}", bundle.runtime_ms);
    let daemon = spec(&format!("(sleep {marker}1 &) ; echo left"), &[], container);
    let bundle = run(world, &runner, &format!("{mode}-daemon"), &daemon, LIMITS, short);
    assert_eq!(bundle.stdout, "left\n", "{mode}");
    std::thread::sleep(Duration::from_millis(500));
    assert!(!running(&marker), "{mode}: a job's process outlived it");

    // A setuid binary gives nothing.
    let setuid = spec("su root -c 'touch /work/pwned'; mount -t tmpfs none /tmp; id -u > uid.txt", &["uid.txt", "pwned"], container);
    let bundle = run(world, &runner, &format!("{mode}-setuid"), &setuid, LIMITS, short);
    let own_uid = format!("{}\n", JobUser::for_job(&format!("{mode}-setuid")).uid);
    let uid = bundle.files.iter().find(|f| f.path == "uid.txt").map(|f| f.contents().unwrap());
    assert!(uid.as_deref() == Some(own_uid.as_bytes()) || !is_root(), "{mode}: {}", brief(&bundle));
    assert_eq!(bundle.missing, ["pwned"], "{mode}: {}", brief(&bundle));
    assert!(!world.root.join("runs").join(format!("{mode}-setuid")).exists(), "{mode}: the job's directory outlived it");

    assert_eq!(world.snapshot(), before, "{mode}: the provider's files changed");
}

fn is_root() -> bool {
    sandbox::running_as_root()
}

/// Whether any process on the host runs `sleep <marker>...`.
fn running(marker: &str) -> bool {
    std::fs::read_dir("/proc").unwrap().filter_map(|e| e.ok()).any(|entry| {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        String::from_utf8_lossy(&cmdline).replace('\0', " ").starts_with(&format!("sleep {marker}"))
    })
}

/// What the sandbox itself looks like from inside: namespaces, no privileges, seccomp, Landlock.
fn sandbox_from_inside(world: &World) {
    let runner = world.runner(false, false);
    let probe = spec(
        "grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status; set -- /proc/[0-9]*; echo $#; hostname; \
         for d in /root /home /var /opt /srv /mnt /media /sys /run; do test -e $d && echo VISIBLE $d; done; \
         test -x /usr/bin/sh && echo usr; test -w /work && echo work; test -w /tmp && echo tmp; test -w /usr || echo usr-ro; \
         ls / >/dev/null 2>&1 || echo root-unlisted; unshare -U true 2>/dev/null && echo UNSHARED; true",
        &[],
        false,
    );
    let bundle = run(world, &runner, "inside", &probe, LIMITS, Duration::from_secs(30));
    let lines: Vec<&str> = bundle.stdout.lines().collect();
    assert_eq!(
        lines,
        ["CapEff:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2", "2", "job", "usr", "work", "tmp", "usr-ro", "root-unlisted"],
        "no capabilities, seccomp, only its own processes (bubblewrap's init and sh: the count is the shell's own, so no child races it), its own hostname, nothing of the host's but the system, Landlock, no new namespaces: {}",
        brief(&bundle)
    );
    assert_eq!(world.sandbox.landlock, "landlock: fully enforced");
}

fn well_behaved(world: &World, container: bool) {
    let mode = if container { "container" } else { "sandbox" };
    good_job(world, &world.runner(container, false), mode, container, "/work");
}

/// Without the sandbox (the provider's explicit choice) a job still gets its environment, its own working
/// directory as HOME, and its outputs.
fn well_behaved_unisolated(world: &World) {
    let runner = Runner { isolation: Isolation::Unisolated, container: None, allow_network: false };
    let work = world.root.join("runs/unisolated-good/work");
    good_job(world, &runner, "unisolated", false, work.to_str().unwrap());
}

fn good_job(world: &World, runner: &Runner, mode: &str, container: bool, home: &str) {
    let script = "cat in.txt > out.txt; mkdir -p d/e; echo $GREETING > d/e/g.txt; echo $HOME > d/home; echo scratch > $TMPDIR/s.$$; cat $TMPDIR/s.$$; echo done";
    let mut good = spec(script, &["out.txt", "d/", "absent.txt"], container);
    good.env.insert("GREETING".into(), "hello".into());
    good.inputs = vec![serde_json::from_str(r#"{"path":"in.txt","text":"input"}"#).unwrap()];
    let bundle = run(world, runner, &format!("{mode}-good"), &good, LIMITS, Duration::from_secs(30));
    assert_eq!((bundle.exit_code, bundle.timed_out, bundle.limit_exceeded.as_deref()), (Some(0), false, None), "{mode}: {}", brief(&bundle));
    assert_eq!(bundle.stdout, "scratch\ndone\n", "{mode}");
    let paths: Vec<_> = bundle.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["out.txt", "d/e/g.txt", "d/home"], "{mode}");
    assert_eq!(bundle.files[0].contents().unwrap(), b"input");
    assert_eq!(bundle.files[1].contents().unwrap(), b"hello\n");
    assert_eq!(bundle.files[2].contents().unwrap(), format!("{home}\n").as_bytes(), "{mode}");
    assert_eq!(bundle.missing, ["absent.txt"]);
}

/// A job allowed network still cannot reach the host's loopback, directly or through slirp's gateway.
fn network_allowed(world: &World) {
    if world.sandbox.slirp4netns.is_none() {
        return println!("network: slirp4netns not installed; skipped");
    }
    let denied = world.runner(false, false);
    let mut asks = spec("true", &[], false);
    asks.network = true;
    assert_eq!(denied.refusal(&asks).unwrap(), "its spec asks for network access and this provider does not allow it");
    let runner = world.runner(false, true);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut job = spec("", &[], false);
    job.command = vec![
        "bash".into(),
        "-c".into(),
        format!("grep -c tap0 /proc/net/dev; (echo hi > /dev/tcp/127.0.0.1/{port}) 2>/dev/null && echo LOOPBACK; (timeout 3 bash -c 'echo hi > /dev/tcp/10.0.2.2/{port}') 2>/dev/null && echo GATEWAY; unshare -U true 2>/dev/null && echo UNSHARED; true"),
    ];
    job.network = true;
    let bundle = run(world, &runner, "network", &job, LIMITS, Duration::from_secs(30));
    assert_eq!(bundle.stdout, "1\n", "a tap device, no way to the host, no new namespaces: {}", brief(&bundle));
    assert!(listener.accept().is_err());
}

fn main() {
    sandbox::enter_if_requested();
    let world = World::new();
    let tests: Vec<(&str, Box<dyn Fn(&World)>)> = vec![
        ("sandbox_from_inside", Box::new(sandbox_from_inside)),
        ("well_behaved_in_the_sandbox", Box::new(|w| well_behaved(w, false))),
        ("hostile_jobs_in_the_sandbox", Box::new(|w| hostile(w, false))),
        ("network_allowed_never_reaches_the_host", Box::new(network_allowed)),
        ("well_behaved_unisolated", Box::new(well_behaved_unisolated)),
        ("well_behaved_in_a_container", Box::new(|w| well_behaved(w, true))),
        ("hostile_jobs_in_a_container", Box::new(|w| hostile(w, true))),
    ];
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let (mut passed, mut failed) = (0, 0);
    for (name, test) in tests {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        if name.contains("container") && world.container.is_none() {
            println!("test {name} ... FAILED: podman is not installed here (apt-get install podman runc busybox-static)");
            failed += 1;
            continue;
        }
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test(&world)));
        println!("test {name} ... {}", if outcome.is_ok() { "ok" } else { "FAILED" });
        if outcome.is_ok() { passed += 1 } else { failed += 1 }
    }
    let _ = std::fs::remove_dir_all(&world.root);
    println!("\n{passed} passed, {failed} failed");
    std::process::exit(if failed == 0 { 0 } else { 1 });
}
