//! Hostile jobs through the whole market: each is posted, matched by the matcher, run by a real agent
//! (`cmkt agent run`, sandboxed by default, and with podman for specs that name an image), delivered and
//! downloaded by its client, and must end contained: nothing of the provider's in its bundle, the
//! provider's files byte for byte unchanged, nothing planted outside its working directory, the agent
//! still running and serving. One well-behaved job per mode still produces its outputs.

mod common;

use std::path::{Path, PathBuf};

use common::jobs::*;
use common::*;
use compute_market::state::JobStatus;
use compute_market_client::bundle::ResultBundle;
use solana_signer::Signer;

/// What a job tries, its outputs, and how it must end.
struct Hostile {
    name: &'static str,
    command: String,
    outputs: &'static [&'static str],
    /// Extra requirement flags (duration, RAM, storage).
    requirements: &'static [&'static str],
    check: Box<dyn Fn(&ResultBundle) -> Result<(), String>>,
}

fn spec(command: &str, outputs: &[&str], image: Option<&str>) -> String {
    let mut spec = serde_json::json!({ "version": 1, "command": ["sh", "-c", command], "outputs": outputs });
    if let Some(image) = image {
        spec["image"] = image.into();
    }
    spec.to_string()
}

fn expect(ok: bool, what: &str, bundle: &ResultBundle) -> Result<(), String> {
    if ok {
        return Ok(());
    }
    let cut = |s: &str| s.chars().take(300).collect::<String>();
    Err(format!("{what}: exit {:?}, limit {:?}, refused {:?}, stdout {:?}, stderr {:?}", bundle.exit_code, bundle.limit_exceeded, bundle.refused, cut(&bundle.stdout), cut(&bundle.stderr)))
}

/// The hostile jobs, for a provider whose keypair, journal and endpoint are given.
fn hostile_jobs(keypair: &Path, workdir: &Path, endpoint_port: u16, container: bool) -> Vec<Hostile> {
    let secret = keypair.display().to_string();
    let key_text = std::fs::read_to_string(keypair).unwrap();
    let journal = workdir.join("journal").display().to_string();
    let rpc_port = node().node.rpc_url.rsplit(':').next().unwrap().trim_end_matches('/').to_string();
    let planted = workdir.join("planted").display().to_string();
    let connect = |port: &str| if container { format!("echo hi | nc -w 2 127.0.0.1 {port} && echo CONNECTED") } else { format!("(echo hi > /dev/tcp/127.0.0.1/{port}) 2>/dev/null && echo CONNECTED") };
    let short = &["--cores", "1", "--ram-gb", "1", "--storage-gb", "1", "--duration-secs", "300"][..];
    vec![
        Hostile {
            name: "read",
            command: format!("cat {secret}; cat {journal}/*; cat /etc/shadow; ls /root /home; cat {secret} > out.txt; true"),
            outputs: &["out.txt"],
            requirements: short,
            check: Box::new(move |b| {
                let files: String = b.files.iter().map(|f| String::from_utf8_lossy(&f.contents().unwrap()).into_owned()).collect();
                let seen = format!("{}{}{files}", b.stdout, b.stderr);
                let shadow = std::fs::read_to_string("/etc/shadow").unwrap_or_default();
                let leaked = seen.contains(&key_text[..20]) || seen.contains("\"stage\"") || shadow.lines().next().is_some_and(|root| seen.contains(root));
                expect(!leaked, "read the provider's files", b)
            }),
        },
        Hostile {
            name: "write",
            command: format!("echo x > {planted}; echo x >> {secret}; echo x > /usr/planted; echo x > /etc/planted; true"),
            outputs: &[],
            requirements: short,
            check: Box::new(|b| expect(b.exit_code == Some(0), "ran", b)),
        },
        Hostile {
            name: "links",
            command: format!("ln -s {secret} link.txt; echo mine > own; ln own hard.txt; mkfifo fifo; echo ok > ok.txt"),
            outputs: &["link.txt", "hard.txt", "fifo", "ok.txt"],
            requirements: short,
            check: Box::new(|b| {
                let refused: Vec<&str> = b.refused.iter().map(|r| r.path.as_str()).collect();
                let files: Vec<&str> = b.files.iter().map(|f| f.path.as_str()).collect();
                expect(refused == ["link.txt", "hard.txt", "fifo"] && files == ["ok.txt"], "refused the link, hard link and FIFO by name", b)
            }),
        },
        Hostile {
            name: "kill",
            command: "kill -9 -1; pkill -9 cmkt; kill -9 1; echo done".into(),
            outputs: &[],
            requirements: short,
            check: Box::new(|_| Ok(())),
        },
        Hostile {
            name: "connect",
            command: format!("{}; {}; true", connect(&rpc_port), connect(&endpoint_port.to_string())),
            outputs: &[],
            requirements: short,
            check: Box::new(|b| expect(!b.stdout.contains("CONNECTED"), "reached the host's loopback", b)),
        },
        Hostile {
            name: "forkbomb",
            command: "b() { b | b & }; b; sleep 100".into(),
            outputs: &[],
            requirements: &["--cores", "1", "--ram-gb", "1", "--storage-gb", "1", "--duration-secs", "60"],
            check: Box::new(move |b| expect(container || b.limit_exceeded.as_deref() == Some("processes"), "stopped at its process limit", b)),
        },
        Hostile {
            name: "memory",
            command: "x=$(head -c 1500000000 /dev/zero | tr '\\0' a); echo ${#x}".into(),
            outputs: &[],
            requirements: short,
            check: Box::new(move |b| {
                let named = container || b.limit_exceeded.as_deref() == Some("memory");
                expect(named && b.exit_code != Some(0) && b.stdout.is_empty(), "killed at its RAM", b)
            }),
        },
        Hostile {
            name: "disk",
            command: "for i in 1 2 3 4 5 6; do head -c 300000000 /dev/zero > fill$i; done; echo filled".into(),
            outputs: &[],
            requirements: short,
            check: Box::new(|b| expect(b.limit_exceeded.as_deref() == Some("storage") && !b.stdout.contains("filled"), "stopped at its storage", b)),
        },
        Hostile {
            name: "duration",
            command: "sleep 1000".into(),
            outputs: &[],
            requirements: &["--cores", "1", "--ram-gb", "1", "--storage-gb", "1", "--duration-secs", "60"],
            check: Box::new(|b| expect(b.timed_out && b.limit_exceeded.as_deref() == Some("duration"), "killed at its duration", b)),
        },
        Hostile {
            name: "daemon",
            command: format!("(sleep {} &); echo left", daemon_marker(container)),
            outputs: &[],
            requirements: short,
            check: Box::new(|b| expect(b.stdout == "left\n", "exited", b)),
        },
        Hostile {
            name: "setuid",
            command: "su root -c 'touch pwned'; mount -t tmpfs none /tmp; id -u > uid.txt".into(),
            outputs: &["uid.txt", "pwned"],
            requirements: short,
            check: Box::new(|b| {
                let uid = b.files.first().map(|f| f.contents().unwrap()).unwrap_or_default();
                let own = format!("{}\n", compute_market_agent::sandbox::JobUser::for_job(&b.job).uid);
                expect(uid == own.as_bytes() && b.missing == ["pwned"], "kept its own unprivileged uid", b)
            }),
        },
        Hostile {
            name: "good",
            command: "echo hello > out.txt; mkdir -p d; echo nested > d/n.txt; echo done".into(),
            outputs: &["out.txt", "d/"],
            requirements: short,
            check: Box::new(|b| {
                let files: Vec<(String, Vec<u8>)> = b.files.iter().map(|f| (f.path.clone(), f.contents().unwrap())).collect();
                let want = vec![("out.txt".to_string(), b"hello\n".to_vec()), ("d/n.txt".to_string(), b"nested\n".to_vec())];
                expect(b.exit_code == Some(0) && b.stdout == "done\n" && files == want && b.limit_exceeded.is_none(), "produced its outputs", b)
            }),
        },
    ]
}

/// How long each mode's daemon sleeps, so that the modes, which run at the same time, tell theirs apart.
fn daemon_marker(container: bool) -> &'static str {
    if container { "7778" } else { "7777" }
}

/// Whether any process on the host runs `sleep <marker>`.
fn daemon_left(marker: &str) -> bool {
    std::fs::read_dir("/proc").unwrap().filter_map(|e| e.ok()).any(|entry| {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        cmdline == format!("sleep\0{marker}\0").as_bytes()
    })
}

fn contained(name: &str, container: bool) {
    let _clock = shared_clock();
    matcher_url();
    let (provider, keypair) = wallet(name, 10);
    ok(&keypair, &["provider", "register", "--cores", "64", "--ram-gb", "64", "--storage-gb", "64", "--rate-core", "0.0001", "--rate-ram", "0.00001", "--rate-storage", "0.00001", "--uri", "http://127.0.0.1:1/p", "--allow-matcher-assignment"]);
    let workdir = node().folder.join(format!("{name}-agent"));
    let image = container.then(|| {
        compute_market_agent::testing::import_busybox_image("podman", &node().folder.join(format!("{name}-image"))).expect("the test image");
        compute_market_agent::testing::BUSYBOX_IMAGE
    });
    let mut agent = start_agent(&keypair, &workdir, name, if container { &["--container-runtime", "podman"] } else { &[] });
    let endpoint = wait_for("the agent to publish its endpoint", || {
        let uri = node().client().provider(&provider.pubkey()).ok()?.metadata_uri.to_string_lossy().to_string();
        uri.starts_with("http://127.0.0.1:").then_some(uri).filter(|u| !u.ends_with(":1/p"))
    });
    let endpoint_port: u16 = endpoint.rsplit(':').next().unwrap().trim_end_matches('/').parse().unwrap();
    let provider_files: Vec<PathBuf> = vec![keypair.clone(), PathBuf::from(env!("CARGO_BIN_EXE_cmkt"))];
    let before: Vec<Vec<u8>> = provider_files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let (_, client) = wallet(&format!("{name}-client"), 10);

    let jobs = hostile_jobs(&keypair, &workdir, endpoint_port, container);
    let posted: Vec<(String, &Hostile)> = jobs
        .iter()
        .map(|job| {
            let spec = spec(&job.command, job.outputs, image);
            (post_with(&client, &format!("{name}-{}", job.name), &spec, Some(&provider.pubkey()), job.requirements).0, job)
        })
        .collect();
    let mut failures = Vec::new();
    for (address, job) in &posted {
        wait_status_within(address, JobStatus::Submitted, 240);
        let out = node().folder.join(format!("{name}-{}-result", job.name));
        json(&client, &["job", "result", address, "--out", out.to_str().unwrap()]);
        let bundle: ResultBundle = serde_json::from_slice(&std::fs::read(out.join("bundle.json")).unwrap()).unwrap();
        if let Err(failure) = (job.check)(&bundle) {
            failures.push(format!("{}: {failure}", job.name));
        }
    }
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));

    // Contained: the provider's files unchanged, nothing planted, no daemon left, the agent alive and serving.
    let after: Vec<Vec<u8>> = provider_files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(before == after, "the provider's files changed");
    for planted in [workdir.join("planted"), PathBuf::from("/usr/planted"), PathBuf::from("/etc/planted")] {
        assert!(!planted.exists(), "a job wrote {}", planted.display());
    }
    assert!(!daemon_left(daemon_marker(container)), "a job's daemon outlived it");
    assert!(agent.child.try_wait().unwrap().is_none(), "the agent died: {}", agent.output());
    let about = compute_market_client::documents::fetch(&format!("{endpoint}/")).expect("the agent still serves");
    assert!(String::from_utf8_lossy(&about).contains("sandboxed: bubblewrap"), "{}", String::from_utf8_lossy(&about));
    assert_eq!(agent.output().matches("started job").count(), jobs.len(), "{}", agent.output());
    agent.kill();
}

#[test]
fn hostile_jobs_are_contained_by_the_default_sandbox() {
    contained("sandboxed", false);
}

#[test]
fn hostile_jobs_are_contained_in_podman() {
    contained("podman", true);
}

/// Without the sandbox (the provider's explicit, loud choice) the same host is open to a job: its files can be
/// read. The agent says so at start, in its metadata URI and at its endpoint; the job still runs as a uid of
/// its own, so the keypair (readable by its owner only) stays out of reach.
#[test]
fn running_unisolated_is_loud_and_really_unisolated() {
    let _clock = shared_clock();
    matcher_url();
    let (provider, keypair) = wallet("open-door", 10);
    ok(&keypair, &["provider", "register", "--cores", "4", "--ram-gb", "4", "--storage-gb", "4", "--rate-core", "0.0001", "--rate-ram", "0.00001", "--rate-storage", "0.00001", "--uri", "http://127.0.0.1:1/p", "--allow-matcher-assignment"]);
    let workdir = node().folder.join("open-door-agent");
    std::fs::create_dir_all(&workdir).unwrap();
    let notes = workdir.join("notes.txt");
    std::fs::write(&notes, "the provider's notes").unwrap();
    let agent = start_agent(&keypair, &workdir, "open-door", &["--dangerously-run-jobs-unisolated"]);
    let endpoint = wait_for("the agent to publish its endpoint", || {
        let uri = node().client().provider(&provider.pubkey()).ok()?.metadata_uri.to_string_lossy().to_string();
        uri.ends_with("#unisolated").then_some(uri)
    });
    let (_, client) = wallet("open-door-client", 10);
    let command = format!("cat {}; cat {} > key.txt; true", notes.display(), keypair.display());
    let requirements = ["--cores", "1", "--ram-gb", "1", "--storage-gb", "1", "--duration-secs", "300"];
    let (address, _) = post_with(&client, "open-door-read", &spec(&command, &["key.txt"], None), Some(&provider.pubkey()), &requirements);
    wait_status_within(&address, JobStatus::Submitted, 120);
    let out = node().folder.join("open-door-result");
    json(&client, &["job", "result", &address, "--out", out.to_str().unwrap()]);
    let bundle: ResultBundle = serde_json::from_slice(&std::fs::read(out.join("bundle.json")).unwrap()).unwrap();
    assert_eq!(bundle.stdout, "the provider's notes", "an unisolated job sees the host's files");
    assert!(bundle.stderr.contains("Permission denied"), "but not the keypair: {}", bundle.stderr);
    assert!(agent.output().contains("WARNING: UNISOLATED"), "{}", agent.output());
    let about = compute_market_client::documents::fetch(&format!("{}/", endpoint.trim_end_matches("#unisolated"))).unwrap();
    assert!(String::from_utf8_lossy(&about).contains("UNISOLATED"), "{}", String::from_utf8_lossy(&about));
}

/// An agent on a host that cannot isolate jobs does not start, and says what is missing.
#[test]
fn an_agent_that_cannot_isolate_jobs_refuses_to_start() {
    let (_, keypair) = wallet("no-bwrap", 1);
    let workdir = node().folder.join("no-bwrap-agent");
    let empty = node().folder.join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cmkt"))
        .args(["--url", &node().node.rpc_url, "--keypair", keypair.to_str().unwrap(), "agent", "run", "--workdir", workdir.to_str().unwrap()])
        .args(["--jobs-dir", workdir.join("jobs").to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .env("PATH", &empty)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("cannot isolate jobs: bubblewrap (bwrap) is not installed (apt-get install bubblewrap; see SECURITY.md)"), "{said}");
    assert!(!workdir.join("journal").exists(), "nothing was started");
}
