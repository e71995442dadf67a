//! What the ingest tests share: the indexer as a process, databases, a cuttable proxy to the node, and
//! snapshots of everything the index derives.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use compute_market_indexer::ingest::Ingest;
use compute_market_indexer::rpc::Rpc;
use compute_market_indexer::store::Store;
use compute_market_localnet::testing::TestNode;
use compute_market_localnet::workload::Workload;
use solana_keypair::Keypair;
use solana_signer::Signer;
use sqlx::{Connection, Executor, Row};

/// A local node running the .so, or None (after saying SKIPPED) where only the native build exists.
pub fn node_with_events(name: &str) -> Option<TestNode> {
    let node = TestNode::start(name);
    if node.logs_events() {
        return Some(node);
    }
    eprintln!("SKIPPED: no sBPF artifact (make sbf); the native program logs no events to index");
    None
}

pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(future)
}

/// Polls `check` until it answers, for at most two minutes.
pub fn wait_for<T>(mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out");
        std::thread::sleep(Duration::from_millis(25));
    }
}

pub fn sqlite_url(node: &TestNode, name: &str) -> String {
    let path = node.folder.join(format!("{name}.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    format!("sqlite:{}", path.display())
}

/// A connection that reads without migrating (the indexer under test owns the schema).
async fn reader(database: &str) -> Option<sqlx::AnyConnection> {
    sqlx::any::install_default_drivers();
    let url = match database.strip_prefix("sqlite:") {
        Some(path) => format!("sqlite://{path}?mode=ro"),
        None => database.to_string(),
    };
    sqlx::AnyConnection::connect(&url).await.ok()
}

/// Rows in `table`; 0 until the indexer has created it.
pub async fn count(database: &str, table: &str) -> u64 {
    let Some(mut connection) = reader(database).await else { return 0 };
    match sqlx::query(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut connection).await {
        Ok(row) => row.get::<i64, _>(0) as u64,
        Err(_) => 0,
    }
}

/// Every row `sql` returns, columns joined by `|` (NULL as `-`).
pub async fn rows(database: &str, sql: &str) -> Vec<String> {
    let mut connection = reader(database).await.expect("the database opens");
    let rows = sqlx::query(sql).fetch_all(&mut connection).await.expect("query");
    rows.iter()
        .map(|row| {
            (0..row.len())
                .map(|i| match row.try_get::<Option<i64>, _>(i) {
                    Ok(value) => value.map_or("-".into(), |v| v.to_string()),
                    Err(_) => row.try_get::<Option<String>, _>(i).expect("text or integer").unwrap_or("-".into()),
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

/// Everything the index derives, in a fixed order (finality flags excluded: they follow the clock).
pub async fn snapshot(database: &str) -> Vec<String> {
    let queries = [
        "SELECT signature, slot, failed, events, ignored_reason FROM transactions ORDER BY signature",
        "SELECT id, signature, instruction, seq, slot, block_time, name, job, provider, client, mint, data FROM events ORDER BY id",
        "SELECT * FROM jobs ORDER BY address",
        "SELECT * FROM providers ORDER BY authority",
        "SELECT * FROM clients ORDER BY authority",
        "SELECT * FROM market_hourly ORDER BY bucket, mint",
        "SELECT * FROM provider_hourly ORDER BY authority, bucket, mint",
        "SELECT * FROM client_hourly ORDER BY authority, bucket, mint",
    ];
    let mut all = Vec::new();
    for sql in queries {
        all.push(format!("-- {sql}"));
        all.extend(rows(database, sql).await);
    }
    all
}

/// How many transactions of the program the node lists.
pub fn program_signatures(rpc_url: &str) -> u64 {
    block_on(async {
        let rpc = Rpc::new(rpc_url);
        let mut total = 0;
        let mut before: Option<String> = None;
        loop {
            let page = rpc.signatures(&compute_market::ID, before.as_deref(), None).await.expect("signatures");
            total += page.len() as u64;
            match page.last() {
                Some(last) if page.len() == compute_market_indexer::rpc::SIGNATURE_PAGE => before = Some(last.signature.clone()),
                _ => return total,
            }
        }
    })
}

pub async fn ingest_once(rpc_url: &str, store: Store) -> Result<u64, String> {
    Ingest::new(compute_market::ID, Rpc::new(rpc_url), store).sync().await.map_err(|e| e.to_string())
}

/// Indexes everything the node lists now into a new database, in process (passes repeat until the blocks
/// still being filled have closed and been read).
pub fn index_from_scratch(rpc_url: &str, database: &str) {
    let total = program_signatures(rpc_url);
    block_on(async {
        let store = Store::open(database).await.expect("the database opens");
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            ingest_once(rpc_url, store.clone()).await.expect("a pass");
            if count(database, "transactions").await >= total {
                return;
            }
            assert!(Instant::now() < deadline, "timed out");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
}

/// The `indexer` binary; killed (SIGKILL) when dropped.
pub struct IndexerProcess(Child);

impl IndexerProcess {
    pub fn start(rpc_url: &str, database: &str) -> IndexerProcess {
        let child = Command::new(env!("CARGO_BIN_EXE_indexer"))
            .args(["--rpc", rpc_url, "--ws", "none", "--database", database, "--listen", "127.0.0.1:0", "--poll-secs", "1"])
            .stdout(Stdio::null())
            .spawn()
            .expect("the indexer starts");
        IndexerProcess(child)
    }

    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for IndexerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A TCP proxy to the node that can be cut (connections refused and open ones reset) and restored.
pub struct Proxy {
    port: u16,
    cut: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    pub fn start(upstream_url: &str) -> Proxy {
        let upstream = upstream_url.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().unwrap().port();
        let cut = Arc::new(AtomicBool::new(false));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (cut_flag, live) = (cut.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if cut_flag.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&upstream) else { continue };
                live.lock().unwrap().extend([client.try_clone().unwrap(), server.try_clone().unwrap()]);
                pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                pipe(server, client);
            }
        });
        Proxy { port, cut, open }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    pub fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 16 * 1024];
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 || to.write_all(&buffer[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}

fn wait_landed(node: &TestNode, signature: &solana_signature::Signature) {
    let rpc = node.client();
    wait_for(|| rpc.rpc().get_signature_status(signature).ok().flatten().map(|_| ()));
}

/// A system transfer that lists the program's address as an extra account: a transaction the node files
/// under the program's address that the program never ran.
pub fn send_transfer_to_program(node: &TestNode) -> String {
    let client = node.client();
    let payer = Keypair::new();
    client.airdrop(&payer.pubkey(), 1_000_000_000).expect("airdrop");
    let mut transfer = solana_system_interface::instruction::transfer(&payer.pubkey(), &Keypair::new().pubkey(), 10_000_000);
    transfer.accounts.push(solana_instruction::AccountMeta::new_readonly(compute_market::ID, false));
    client.send(&[transfer], &payer, &[]).expect("the transfer lands").to_string()
}

/// Cancelling a completed job, sent past preflight so it lands as a failed transaction of the program.
pub fn send_failing_cancel(node: &TestNode, workload: &Workload, job: &anchor_lang::prelude::Pubkey) -> String {
    let client = node.client();
    let rpc = client.rpc();
    let cancel = compute_market_client::builders::cancel_job(&workload.buyer.pubkey(), job);
    let blockhash = rpc.get_latest_blockhash().expect("blockhash");
    let transaction = solana_transaction::Transaction::new_signed_with_payer(
        &[cancel],
        Some(&workload.buyer.pubkey()),
        &[&workload.buyer],
        blockhash,
    );
    let config = solana_rpc_client_api::config::RpcSendTransactionConfig { skip_preflight: true, ..Default::default() };
    let signature = rpc.send_transaction_with_config(&transaction, config).expect("sent");
    wait_landed(node, &signature);
    signature.to_string()
}

/// The PostgreSQL server `make test` starts (indexer/scripts/postgres.sh), stopped and started at will.
pub struct Postgres {
    url: String,
}

impl Postgres {
    pub fn from_env() -> Option<Postgres> {
        std::env::var("INDEXER_TEST_POSTGRES_URL").ok().map(|url| Postgres { url })
    }

    /// A new empty database on the server, by URL.
    pub fn fresh_database(&self, name: &str) -> String {
        let name = format!("{name}_{}", std::process::id());
        block_on(async {
            sqlx::any::install_default_drivers();
            let mut admin = sqlx::AnyConnection::connect(&self.url).await.expect("PostgreSQL answers");
            admin.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await.expect("drop");
            admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create");
        });
        let (server, _) = self.url.rsplit_once('/').expect("a URL with a database");
        format!("{server}/{name}")
    }

    fn script(&self, verb: &str) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/postgres.sh");
        let status = Command::new(script).arg(verb).stdout(Stdio::null()).status().expect("postgres.sh runs");
        assert!(status.success(), "postgres.sh {verb}");
    }

    pub fn stop(&self) {
        self.script("stop");
    }

    pub fn start(&self) {
        self.script("start");
    }
}

/// Two snapshots are equal; otherwise the first differences, not the whole dump.
pub fn assert_same_index(resumed: &[String], fresh: &[String]) {
    let differences: Vec<String> = resumed
        .iter()
        .zip(fresh)
        .filter(|(a, b)| a != b)
        .take(5)
        .map(|(a, b)| format!("resumed: {a}\n  fresh: {b}"))
        .collect();
    assert!(
        differences.is_empty() && resumed.len() == fresh.len(),
        "{} rows resumed, {} fresh; first differences:\n{}",
        resumed.len(),
        fresh.len(),
        differences.join("\n")
    );
}
