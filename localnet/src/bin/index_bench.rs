//! The indexer's figures: ingest rate and catch-up time from zero on a local node holding 100,000 program
//! transactions, and the API's latency (p50/p99 over HTTP) for the main list and stats queries over
//! 1,000,000 events written through the indexer's own write path, in SQLite and (when
//! INDEXER_BENCH_POSTGRES_URL names a server, as `make bench` does) PostgreSQL. Prints the figures and
//! appends them to a report file if one is given.
//!
//! INDEX_BENCH_TRANSACTIONS (default 5,000) and INDEX_BENCH_EVENTS (default 1,000,000) set the sizes. The
//! local node (Surfpool 1.6) takes in about 13 transactions a second whatever its slot time or the number of
//! senders, so 100,000 program transactions take it over two hours to hold: set
//! INDEX_BENCH_TRANSACTIONS=100000 for that figure; the default measures the same pipeline on 5,000, and 0
//! skips the ingest part.

use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use compute_market::events::*;
use compute_market::state::{GpuNeeds, Hardware, Rates, Resources, TimeWindows};
use compute_market_indexer::events::{EventRecord, ProgramEvent};
use compute_market_indexer::ingest::Ingest;
use compute_market_indexer::rpc::Rpc;
use compute_market_indexer::store::{IndexedTransaction, Store};
use compute_market_indexer::Service;
use compute_market_localnet::testing::TestNode;
use compute_market_localnet::workload::Workload;

/// Prints a figure as soon as it is measured and keeps it for the report.
fn say(lines: &mut Vec<String>, line: String) {
    println!("{line}");
    lines.push(line);
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
}

fn main() {
    std::env::set_var("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "error".into()));
    let transactions = env_number("INDEX_BENCH_TRANSACTIONS", 5_000);
    let events = env_number("INDEX_BENCH_EVENTS", 1_000_000);
    let postgres = std::env::var("INDEXER_BENCH_POSTGRES_URL").ok();
    let mut lines = Vec::new();

    // 10 ms slots: Surfpool takes transactions in slot by slot, and the bench needs 100,000 of them.
    let test = TestNode::start_with_slot_time("index-bench", 10);
    if transactions > 0 {
        lines.extend(ingest_rate(&test, transactions, postgres.as_deref()));
    }
    let sqlite = format!("sqlite:{}", test.folder.join("latency.sqlite").display());
    lines.extend(api_latency("SQLite", &sqlite, events));
    match &postgres {
        Some(url) => lines.extend(api_latency("PostgreSQL", &fresh_postgres(url, "index_bench_latency"), events)),
        None => say(&mut lines, "PostgreSQL: not measured (INDEXER_BENCH_POSTGRES_URL unset)".into()),
    }

    if let Some(report) = std::env::args().nth(1) {
        let mut text = std::fs::read_to_string(&report).unwrap_or_default();
        text.push_str(&format!("\n## Indexer\n\n{}\n", lines.iter().map(|l| format!("- {l}\n")).collect::<String>()));
        std::fs::write(&report, text).expect("the report file is writable");
    }
    std::process::exit(0);
}

/// A new empty PostgreSQL database beside `url`'s.
fn fresh_postgres(url: &str, name: &str) -> String {
    runtime().block_on(async {
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let mut admin = sqlx::AnyConnection::connect(url).await.expect("PostgreSQL answers");
        admin.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await.expect("drop");
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create");
    });
    format!("{}/{name}", url.rsplit_once('/').expect("a URL with a database").0)
}

/// Fills the node with `transactions` program transactions, then indexes them from zero.
fn ingest_rate(test: &TestNode, transactions: u64, postgres: Option<&str>) -> Vec<String> {
    let mut workload = Workload::start(test.client()).expect("workload");
    let started = Instant::now();
    let sent = workload.post_and_cancel((transactions / 2) as usize).expect("traffic").len();
    let produced = started.elapsed();
    let mut lines = Vec::new();
    say(&mut lines, format!(
        "Local node: {sent} program transactions (post_job, cancel_job) sent and confirmed in {:.1} s ({:.0} per second)",
        produced.as_secs_f64(),
        sent as f64 / produced.as_secs_f64()
    ));
    let mut databases = vec![("SQLite", format!("sqlite:{}", test.folder.join("ingest.sqlite").display()))];
    if let Some(url) = postgres {
        databases.push(("PostgreSQL", fresh_postgres(url, "index_bench_ingest")));
    }
    for (name, database) in databases {
        let (elapsed, applied, events) = runtime().block_on(async {
            let store = Store::open(&database).await.expect("the database opens");
            let ingest = Ingest::new(compute_market::ID, Rpc::new(&test.node.rpc_url), store);
            let started = Instant::now();
            while ingest.sync().await.expect("a pass") > 0 {}
            let progress = ingest.progress.lock().expect("progress").clone();
            (started.elapsed(), progress.transactions_applied, progress.events_applied)
        });
        say(&mut lines, format!(
            "Ingest into {name} from zero: {applied} transactions ({events} events) in {:.1} s: {:.0} transactions/s, {:.0} events/s",
            elapsed.as_secs_f64(),
            applied as f64 / elapsed.as_secs_f64(),
            events as f64 / elapsed.as_secs_f64()
        ));
    }
    lines
}

const CLIENTS: u64 = 2_000;
const PROVIDERS: u64 = 1_000;
const DAYS: i64 = 60;

fn key(kind: u8, n: u64) -> Pubkey {
    let mut bytes = [0u8; 32];
    bytes[0] = kind;
    bytes[1..9].copy_from_slice(&n.to_le_bytes());
    Pubkey::new_from_array(bytes)
}

const WINDOWS: TimeWindows =
    TimeWindows { start_window_secs: 600, review_window_secs: 3_600, grace_secs: 300, dispute_window_secs: 86_400 };

/// The events of job `n`'s whole life (5 events) at `at`, as the program emits them.
fn job_life(n: u64, at: i64) -> [ProgramEvent; 5] {
    let (client, provider) = (key(1, n % CLIENTS), key(2, n % PROVIDERS));
    let job = key(3, n);
    let mint = Pubkey::default();
    let requirements = Resources { cpu_cores: 2, ram_gb: 4, storage_gb: 10, gpus: 0 };
    let price = 250_000 + (n % 7) * 10_000;
    [
        ProgramEvent::JobPosted(JobPosted {
            job, client, job_id: n / CLIENTS, payment_mint: mint, requirements, gpu: GpuNeeds::default(), duration_secs: 3_600,
            max_price_per_hour: price, escrow: price, min_reputation: 0, min_bond: 0, slash_bps: 0, target_provider: None, spec_hash: [7; 32],
            fee_bps: 250, windows: WINDOWS, timestamp: at,
        }),
        ProgramEvent::JobAssigned(JobAssigned {
            job, client, provider, assigned_by: client, payment_mint: mint, agreed_price_per_hour: price,
            escrow: price, refund: 0, start_deadline: at + 660, timestamp: at + 60,
        }),
        ProgramEvent::JobStarted(JobStarted { job, client, provider, run_deadline: at + 3_720, timestamp: at + 120 }),
        ProgramEvent::ResultSubmitted(ResultSubmitted {
            job, client, provider, result_hash: [9; 32], review_deadline: at + 7_320, timestamp: at + 3_720,
        }),
        ProgramEvent::JobCompleted(JobCompleted {
            job, client, provider, payment_mint: mint, provider_payout: price - price / 40, provider_payout_held: 0,
            fee: price / 40, refund: 0, surplus: 0, rating: Some(5), auto_released: false, provider_reputation: 6_000,
            timestamp: at + 3_800,
        }),
    ]
}

fn transaction(n: u64, at: i64, event: ProgramEvent) -> IndexedTransaction {
    IndexedTransaction {
        signature: format!("bench{n:012}"),
        slot: n,
        block_time: at,
        failed: false,
        events: vec![EventRecord { instruction: 0, seq: 0, event }],
        ignored_reason: None,
    }
}

/// Writes `events` events through `Store::apply` (registrations, then job lives spread over 60 days).
async fn fill(store: &Store, events: u64) -> Duration {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let start = now - DAYS * 86_400;
    let started = Instant::now();
    let mut n = 0u64;
    let mut batch = Vec::new();
    for p in 0..PROVIDERS {
        let event = ProgramEvent::ProviderRegistered(ProviderRegistered {
            provider: key(4, p), authority: key(2, p),
            capacity: Resources { cpu_cores: 64, ram_gb: 256, storage_gb: 2_000, gpus: 0 },
            rates: Rates { per_core: 100_000, per_gb_ram: 10_000, per_gb_storage: 1_000, per_gpu: 0 },
            hardware: Hardware::default(),
            metadata_uri: format!("https://provider-{p}.example"), assignment: 3, reputation: 5_000, timestamp: start,
        });
        batch.push(transaction(n, start, event));
        n += 1;
    }
    let lives = events.saturating_sub(PROVIDERS) / 5;
    for life in 0..lives {
        let at = start + (life as i64 * DAYS * 86_400) / lives.max(1) as i64;
        for event in job_life(life, at) {
            batch.push(transaction(n, at, event));
            n += 1;
        }
        if batch.len() >= 5_000 {
            store.apply(&batch).await.expect("a batch applies");
            batch.clear();
        }
    }
    store.apply(&batch).await.expect("a batch applies");
    started.elapsed()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1_000.0
}

fn api_latency(name: &str, database: &str, events: u64) -> Vec<String> {
    let filled = runtime().block_on(async {
        let store = Store::open(database).await.expect("the database opens");
        fill(&store, events).await
    });
    let mut lines = Vec::new();
    say(&mut lines, format!(
        "{name}: {events} events written through the indexer's write path in {:.1} s ({:.0} events/s)",
        filled.as_secs_f64(),
        events as f64 / filled.as_secs_f64()
    ));
    let api = Service::api_only(database, "127.0.0.1:0".parse().unwrap()).expect("the API starts");
    let http = reqwest::blocking::Client::new();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let (client, provider, job) = (key(1, 17), key(2, 17), key(3, 17 + CLIENTS * 3));
    let queries = [
        ("jobs, first page".to_string(), "/jobs?limit=50".to_string()),
        ("jobs by client".into(), format!("/jobs?client={client}&limit=50")),
        ("jobs by provider and status".into(), format!("/jobs?provider={provider}&status=completed&limit=50")),
        ("providers".into(), "/providers?active=true&limit=50".into()),
        ("a job's events".into(), format!("/jobs/{job}/events")),
        ("market stats by day, 30 days".into(), "/stats/market?bucket=day".into()),
        ("market stats by hour, 7 days".into(), format!("/stats/market?bucket=hour&from={}&to={now}", now - 7 * 86_400)),
        ("provider stats by day".into(), format!("/stats/providers/{provider}?bucket=day")),
        ("client stats by day".into(), format!("/stats/clients/{client}?bucket=day")),
    ];
    for (label, path) in queries {
        let url = format!("{}{path}", api.url());
        let mut samples = Vec::new();
        for round in 0..220 {
            let started = Instant::now();
            let response = http.get(&url).send().expect("the API answers");
            assert!(response.status().is_success(), "{path}: {}", response.status());
            response.bytes().expect("a body");
            if round >= 20 {
                samples.push(started.elapsed());
            }
        }
        samples.sort();
        say(&mut lines, format!(
            "{name}, {events} events, {label}: p50 {:.2} ms, p99 {:.2} ms",
            percentile(&samples, 0.50),
            percentile(&samples, 0.99)
        ));
    }
    lines
}
