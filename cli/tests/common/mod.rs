//! What the end-to-end tests share: one local node per test binary, funded wallets, running `cmkt` and
//! reading its output, long-running `cmkt` services (agent, matcher) that die with the test process.
#![allow(dead_code)]

pub mod jobs;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use compute_market_client::keypair_file::write_keypair;
use compute_market_localnet::testing::TestNode;
use serde_json::Value;
use solana_keypair::Keypair;
use solana_signer::Signer;

pub const SOL: u64 = 1_000_000_000;

pub fn node() -> &'static TestNode {
    static NODE: OnceLock<TestNode> = OnceLock::new();
    NODE.get_or_init(|| TestNode::start("cli-e2e"))
}

/// A funded wallet with its keypair file.
pub fn wallet(name: &str, sol: u64) -> (Keypair, PathBuf) {
    let keypair = Keypair::new();
    let path = node().folder.join(format!("{name}-{}.json", keypair.pubkey()));
    write_keypair(&path, &keypair).unwrap();
    if sol > 0 {
        node().client().airdrop(&keypair.pubkey(), sol * SOL).unwrap();
    }
    (keypair, path)
}

pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

pub fn cmkt(keypair: &Path, args: &[&str]) -> Run {
    cmkt_env(keypair, &[], args)
}

/// The node's mint table (its local USDC), which every `cmkt` here reads as a user's would.
pub fn mint_table() -> PathBuf {
    node().keys.mint_table_path()
}

/// `cmkt` with `variables` set in its environment, and no index API but one named there.
pub fn cmkt_env(keypair: &Path, variables: &[(&str, &str)], args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_cmkt"))
        .env_remove("CMKT_API_URL")
        .env("CMKT_MINTS", mint_table())
        .envs(variables.iter().copied())
        .args(["--url", &node().node.rpc_url, "--keypair", keypair.to_str().unwrap()])
        .args(args)
        .output()
        .expect("cmkt runs");
    Run { ok: output.status.success(), stdout: String::from_utf8_lossy(&output.stdout).into(), stderr: String::from_utf8_lossy(&output.stderr).into() }
}

pub fn ok(keypair: &Path, args: &[&str]) -> String {
    let run = cmkt(keypair, args);
    assert!(run.ok, "cmkt {args:?} failed: {}{}", run.stdout, run.stderr);
    run.stdout
}

pub fn json(keypair: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--output", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(keypair, &all)).expect("JSON output")
}

pub fn fails_with(keypair: &Path, args: &[&str], expected: &str) {
    let run = cmkt(keypair, args);
    assert!(!run.ok, "cmkt {args:?} should fail: {}", run.stdout);
    assert!(run.stderr.contains(expected), "cmkt {args:?}: expected `{expected}` in: {}", run.stderr);
}

/// A provider of `cores` cores and 16 GB at `rate_core` SOL per core-hour and 0.00001 per GB-hour, which
/// the matcher may assign jobs to (clients may not).
pub fn register_provider(name: &str, cores: &str, rate_core: &str) -> (Keypair, PathBuf) {
    let (keypair, path) = wallet(name, 10);
    ok(&path, &["provider", "register", "--cores", cores, "--ram-gb", "16", "--rate-core", rate_core, "--rate-ram", "0.00001", "--uri", "http://127.0.0.1:1/p", "--allow-matcher-assignment"]);
    (keypair, path)
}

pub fn lamports(address: &anchor_lang::prelude::Pubkey) -> u64 {
    node().client().balance(address).unwrap()
}

/// Empties a wallet: everything it holds goes to a fresh key, as a party walking away would. Tried again
/// if the wallet spent something in between (an agent still sending).
pub fn drain(keypair: &Keypair) {
    let away = anchor_lang::prelude::Pubkey::new_unique();
    wait_for("the wallet to be drained", || {
        let held = lamports(&keypair.pubkey());
        let ix = anchor_lang::solana_program::system_instruction::transfer(&keypair.pubkey(), &away, held - 5_000);
        node().client().send(&[ix], keypair, &[]).ok()
    });
    assert_eq!(lamports(&keypair.pubkey()), 0, "the wallet paid the fee and sent the rest away");
}

pub fn read_pubkey(path: &Path) -> anchor_lang::prelude::Pubkey {
    compute_market_client::keypair_file::read_keypair(path).unwrap().pubkey()
}

/// A `cmkt` process that runs until dropped (or until the test process dies), its output in a log file.
pub struct Service {
    pub child: Child,
    pub log: PathBuf,
}

impl Service {
    pub fn start(keypair: &Path, args: &[&str], log: &Path) -> Service {
        use std::os::unix::process::CommandExt;
        let file = std::fs::File::create(log).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_cmkt"));
        command
            .env("CMKT_MINTS", mint_table())
            .args(["--url", &node().node.rpc_url, "--keypair", keypair.to_str().unwrap()])
            .args(args)
            .stdout(Stdio::from(file.try_clone().unwrap()))
            .stderr(Stdio::from(file));
        // SAFETY: prctl in the forked child before exec; no allocation.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        // The death signal follows the thread that forks, so fork from one that lives as long as the process.
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            sender.send(command.spawn()).expect("the test waits for the child");
            loop {
                std::thread::park();
            }
        });
        let child = receiver.recv().unwrap().expect("cmkt starts");
        Service { child, log: log.to_path_buf() }
    }

    /// Kills the process at once, as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `check` until it returns something, for at most a minute.
pub fn wait_for<T>(what: &str, check: impl FnMut() -> Option<T>) -> T {
    wait_within(what, 60, check)
}

/// Polls `check` until it returns something, for at most `secs` seconds.
pub fn wait_within<T>(what: &str, secs: u64, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A free TCP port on the loopback interface.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Moves the node's clock `secs` seconds past the wall clock (Surfpool's time-travel cheat code).
pub fn time_travel(secs: u64) {
    use solana_rpc_client_api::request::RpcRequest;
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let params = serde_json::json!([{ "absoluteTimestamp": now_ms + secs * 1_000 }]);
    node()
        .client()
        .rpc()
        .send::<Value>(RpcRequest::Custom { method: "surfnet_timeTravel" }, params)
        .expect("the node travels in time");
}

/// What a confirmed transaction did to each account's lamports (post - pre), from the node's record of it.
pub fn balance_changes(signature: &str) -> std::collections::HashMap<String, i128> {
    use solana_rpc_client_api::request::RpcRequest;
    let params = serde_json::json!([signature, { "encoding": "json", "commitment": "confirmed", "maxSupportedTransactionVersion": 0 }]);
    let record: Value = node().client().rpc().send(RpcRequest::GetTransaction, params).expect("the transaction is recorded");
    let keys = record["transaction"]["message"]["accountKeys"].as_array().expect("account keys");
    let (pre, post) = (&record["meta"]["preBalances"], &record["meta"]["postBalances"]);
    keys.iter()
        .enumerate()
        .map(|(i, key)| (key.as_str().unwrap().to_string(), i128::from(post[i].as_u64().unwrap()) - i128::from(pre[i].as_u64().unwrap())))
        .collect()
}

/// The signature `cmkt` printed for a confirmed step ("<step>: confirmed, signature <signature>").
pub fn signature_of(output: &str) -> String {
    output.split("signature ").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("a signature in the output").to_string()
}
