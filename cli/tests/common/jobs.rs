//! Jobs that run: the shared matcher, providers with agents, posting and following jobs.

use std::path::{Path, PathBuf};
use std::sync::{OnceLock, RwLock, RwLockReadGuard};

use anchor_lang::prelude::Pubkey;
use compute_market::state::{Job, JobStatus};
use solana_signer::Signer;

use super::*;

/// The matcher, shared by every test of a binary; it assigns every open job it can.
pub fn matcher_url() -> &'static str {
    static MATCHER: OnceLock<(Service, String)> = OnceLock::new();
    &MATCHER
        .get_or_init(|| {
            let keys = &node().keys;
            let path = node().folder.join("matcher.json");
            compute_market_client::keypair_file::write_keypair(&path, &keys.matcher).unwrap();
            let listen = format!("127.0.0.1:{}", free_port());
            let service = Service::start(&path, &["matcher", "run", "--listen", &listen, "--poll-secs", "1", "--ws-url", &node().node.ws_url], &node().folder.join("matcher.log"));
            (service, format!("http://{listen}"))
        })
        .1
}

/// Tests that move the node's clock take it exclusively; the others share it.
pub fn clock() -> &'static RwLock<()> {
    static CLOCK: RwLock<()> = RwLock::new(());
    &CLOCK
}

pub fn shared_clock() -> RwLockReadGuard<'static, ()> {
    clock().read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A provider of 4 cores and 16 GB at 0.001 SOL per core-hour and 0.00001 per GB-hour, and its agent.
pub fn provider_with_agent(name: &str) -> (Pubkey, PathBuf, Service, PathBuf) {
    let (keypair, path) = register_provider(name, "4", "0.001");
    let workdir = node().folder.join(format!("{name}-agent"));
    let agent = start_agent(&path, &workdir, name, &[]);
    (keypair.pubkey(), path, agent, workdir)
}

/// An agent with its job directories in `<workdir>/jobs`, sandboxed as by default, with `extra` arguments.
pub fn start_agent(keypair: &Path, workdir: &Path, name: &str, extra: &[&str]) -> Service {
    let log = node().folder.join(format!("{name}-agent-{}.log", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()));
    let jobs = workdir.join("jobs");
    let mut args = vec!["agent", "run", "--workdir", workdir.to_str().unwrap(), "--jobs-dir", jobs.to_str().unwrap(), "--listen", "127.0.0.1:0", "--poll-secs", "1", "--ws-url", &node().node.ws_url];
    args.extend(extra);
    Service::start(keypair, &args, &log)
}

/// Writes a spec file and posts a job of 2 cores and 1 GB for an hour at most 0.01 SOL/h, reserved for `provider`.
pub fn post(client: &Path, name: &str, spec: &str, provider: Option<&Pubkey>) -> (String, PathBuf) {
    post_with(client, name, spec, provider, &["--cores", "2", "--ram-gb", "1", "--duration-secs", "3600"])
}

/// Writes a spec file and posts a job with `requirements` (cores, RAM, storage, duration flags) at most
/// 0.01 SOL/h, reserved for `provider`.
pub fn post_with(client: &Path, name: &str, spec: &str, provider: Option<&Pubkey>, requirements: &[&str]) -> (String, PathBuf) {
    let file = node().folder.join(format!("{name}.spec.json"));
    std::fs::write(&file, spec).unwrap();
    let target = provider.map(|p| p.to_string());
    let mut args = vec!["job", "post"];
    args.extend(requirements);
    args.extend(["--max-price", "0.01", "--spec", file.to_str().unwrap()]);
    if let Some(target) = &target {
        args.extend(["--target-provider", target.as_str()]);
    }
    let posted = json(client, &args);
    (posted["address"].as_str().unwrap().to_string(), file)
}

pub fn job(address: &str) -> Job {
    node().client().job(&address.parse().unwrap()).unwrap()
}

pub fn wait_status(address: &str, status: JobStatus) -> Job {
    wait_status_within(address, status, 60)
}

pub fn wait_status_within(address: &str, status: JobStatus, secs: u64) -> Job {
    wait_within(&format!("job {address} to be {status:?}"), secs, || Some(job(address)).filter(|j| j.is(status)))
}

