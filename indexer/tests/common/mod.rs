//! What tests of the index share: databases (SQLite in a temporary folder, and PostgreSQL when
//! `INDEXER_TEST_POSTGRES_URL` names a server), the program's events built field by field, transactions
//! that carry them into `Store::apply`, and calls to the API's router.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use anchor_lang::prelude::Pubkey;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use compute_market::events::*;
use compute_market::state::{GpuNeeds, Hardware, JobStatus, Rates, Resources, TimeWindows};
use compute_market_indexer::events::{EventRecord, ProgramEvent};
use compute_market_indexer::ingest::SharedProgress;
use compute_market_indexer::store::{IndexedTransaction, Store};
use serde_json::Value;
use sqlx::{Connection, Executor};
use tower::ServiceExt;

/// The start of a day (2023-11-14T00:00:00Z): tests place events at known hours after it.
pub const T0: i64 = 1_699_920_000;
pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;
/// The mint of lamport jobs.
pub const LAMPORTS: Pubkey = Pubkey::new_from_array([0; 32]);

static UNIQUE: AtomicU64 = AtomicU64::new(0);

fn unique(name: &str) -> String {
    let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
    format!("{name}_{}_{n}", std::process::id())
}

/// An empty index in one database.
pub struct TestDb {
    /// `sqlite` or `postgres`, for assertion messages.
    pub backend: &'static str,
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Database { admin_url: String, name: String },
}

impl TestDb {
    /// Closes the database and removes it.
    pub async fn remove(self) {
        self.store.pool().close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(mut admin) = sqlx::AnyConnection::connect(&admin_url).await {
                    // FORCE: the server may still be ending the pool's sessions.
                    let _ = admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
                }
            }
        }
    }
}

/// A fresh SQLite index only, for tests of what the database does not answer (parameters, documents).
pub async fn sqlite(name: &str) -> TestDb {
    sqlx::any::install_default_drivers();
    let path = std::env::temp_dir().join(format!("compute-market-{}.sqlite", unique(name)));
    let store = Store::open(&format!("sqlite:{}", path.display())).await.expect("SQLite opens");
    TestDb { backend: "sqlite", store, cleanup: Cleanup::File(path) }
}

/// A fresh SQLite index, and a fresh PostgreSQL one when `INDEXER_TEST_POSTGRES_URL` is set: tests run
/// their assertions on each.
pub async fn databases(name: &str) -> Vec<TestDb> {
    let mut all = vec![sqlite(name).await];
    if let Ok(admin_url) = std::env::var("INDEXER_TEST_POSTGRES_URL") {
        let name = unique(name).to_lowercase();
        let mut admin = sqlx::AnyConnection::connect(&admin_url).await.expect("PostgreSQL answers");
        admin.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await.expect("drop");
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create");
        let (server, _) =
            admin_url.split('?').next().unwrap_or(&admin_url).rsplit_once('/').expect("a URL with a database");
        let store = Store::open(&format!("{server}/{name}")).await.expect("PostgreSQL opens");
        all.push(TestDb { backend: "postgres", store, cleanup: Cleanup::Database { admin_url, name } });
    }
    all
}

/// Builds transactions: one per call, each in its own slot, with a signature unique within the chain (use
/// one chain per database: the index skips a signature it has applied).
#[derive(Default)]
pub struct Chain {
    slot: u64,
    pub transactions: Vec<IndexedTransaction>,
}

impl Chain {
    /// A transaction at `block_time` carrying `events` (from instruction 0).
    pub fn push(&mut self, block_time: i64, events: Vec<ProgramEvent>) -> &mut Chain {
        self.slot += 1;
        let events = events
            .into_iter()
            .enumerate()
            .map(|(seq, event)| EventRecord { instruction: 0, seq: seq as u32, event })
            .collect();
        self.transactions.push(IndexedTransaction {
            signature: format!("sig{:0>8}", self.slot),
            slot: self.slot,
            block_time,
            failed: false,
            events,
            ignored_reason: None,
        });
        self
    }

    /// One event in its own transaction, at the event's own timestamp.
    pub fn event(&mut self, event: ProgramEvent) -> &mut Chain {
        let at = timestamp(&event);
        self.push(at, vec![event])
    }

    /// Applies everything pushed so far to `store` and forgets it.
    pub async fn apply(&mut self, store: &Store) {
        let batch = std::mem::take(&mut self.transactions);
        store.apply(&batch).await.expect("the batch applies");
    }
}

fn timestamp(event: &ProgramEvent) -> i64 {
    event.to_json()["timestamp"].as_i64().expect("every event carries a timestamp")
}

pub fn resources(cpu_cores: u16, ram_gb: u32, storage_gb: u32, gpus: u16) -> Resources {
    Resources { ram_gb, storage_gb, cpu_cores, gpus }
}

pub fn rates() -> Rates {
    Rates { per_core: 100, per_gb_ram: 10, per_gb_storage: 1, per_gpu: 1_000 }
}

fn windows() -> TimeWindows {
    TimeWindows { start_window_secs: 600, review_window_secs: 3_600, grace_secs: 300, dispute_window_secs: 86_400 }
}

pub fn provider_account(authority: &Pubkey) -> Pubkey {
    compute_market_client::pda::provider(authority)
}

pub fn client_profile(authority: &Pubkey) -> Pubkey {
    compute_market_client::pda::client_profile(authority)
}

/// A job's address as the program derives it.
pub fn job_address(client: &Pubkey, job_id: u64) -> Pubkey {
    compute_market_client::pda::job(client, job_id)
}

pub fn provider_registered(authority: Pubkey, capacity: Resources, at: i64) -> ProgramEvent {
    ProgramEvent::ProviderRegistered(ProviderRegistered {
        provider: provider_account(&authority),
        authority,
        capacity,
        rates: rates(),
        hardware: Hardware::default(),
        metadata_uri: "https://example.com/provider.json".into(),
        assignment: 3,
        reputation: 5_000,
        timestamp: at,
    })
}

/// The provider agent's refresh: a heartbeat.
pub fn provider_updated(authority: Pubkey, capacity: Resources, at: i64) -> ProgramEvent {
    ProgramEvent::ProviderUpdated(ProviderUpdated {
        provider: provider_account(&authority),
        authority,
        capacity,
        free: capacity,
        rates: rates(),
        hardware: Hardware::default(),
        metadata_uri: "https://example.com/provider.json".into(),
        assignment: 3,
        timestamp: at,
    })
}

pub fn provider_activity(authority: Pubkey, active: bool, at: i64) -> ProgramEvent {
    ProgramEvent::ProviderActivityChanged(ProviderActivityChanged {
        provider: provider_account(&authority),
        authority,
        active,
        timestamp: at,
    })
}

pub fn provider_closed(authority: Pubkey, reputation: u16, at: i64) -> ProgramEvent {
    ProgramEvent::ProviderClosed(ProviderClosed {
        provider: provider_account(&authority),
        authority,
        jobs_completed: 0,
        total_earned: 0,
        returned: 0,
        reputation,
        timestamp: at,
    })
}

pub fn client_registered(authority: Pubkey, at: i64) -> ProgramEvent {
    ProgramEvent::ClientRegistered(ClientRegistered {
        client_profile: client_profile(&authority),
        authority,
        timestamp: at,
    })
}

/// What a test's job is: its accounts, currency and requirements.
#[derive(Clone, Copy, Debug)]
pub struct JobSpec {
    pub job: Pubkey,
    pub client: Pubkey,
    pub mint: Pubkey,
    pub job_id: u64,
    pub requirements: Resources,
    pub duration_secs: u32,
    pub max_price_per_hour: u64,
    pub escrow: u64,
}

impl JobSpec {
    /// A one-hour lamport job needing 2 cores, escrowing 10,000 at 1,000 per hour at most.
    pub fn new(client: Pubkey, job_id: u64) -> JobSpec {
        JobSpec {
            job: job_address(&client, job_id),
            client,
            mint: LAMPORTS,
            job_id,
            requirements: resources(2, 4, 10, 0),
            duration_secs: 3_600,
            max_price_per_hour: 1_000,
            escrow: 10_000,
        }
    }

    pub fn paid_in(mut self, mint: Pubkey) -> JobSpec {
        self.mint = mint;
        self
    }

    pub fn posted(&self, at: i64) -> ProgramEvent {
        ProgramEvent::JobPosted(JobPosted {
            job: self.job,
            client: self.client,
            job_id: self.job_id,
            payment_mint: self.mint,
            requirements: self.requirements,
            gpu: GpuNeeds::default(),
            duration_secs: self.duration_secs,
            max_price_per_hour: self.max_price_per_hour,
            escrow: self.escrow,
            min_reputation: 1_000,
            min_bond: 500,
            slash_bps: 2_000,
            target_provider: None,
            spec_hash: [0xab; 32],
            fee_bps: 500,
            windows: windows(),
            timestamp: at,
        })
    }

    pub fn cancelled(&self, refund: u64, at: i64) -> ProgramEvent {
        ProgramEvent::JobCancelled(JobCancelled {
            job: self.job,
            client: self.client,
            job_id: self.job_id,
            payment_mint: self.mint,
            refund,
            surplus: 0,
            timestamp: at,
        })
    }

    /// Assigned at `price` per hour; the escrow above it is refunded now.
    pub fn assigned(&self, provider: Pubkey, price: u64, refund: u64, at: i64) -> ProgramEvent {
        ProgramEvent::JobAssigned(JobAssigned {
            job: self.job,
            client: self.client,
            provider,
            assigned_by: self.client,
            payment_mint: self.mint,
            agreed_price_per_hour: price,
            escrow: self.escrow - refund,
            refund,
            start_deadline: at + 600,
            timestamp: at,
        })
    }

    pub fn released(&self, provider: Pubkey, reason: ReleaseReason, at: i64) -> ProgramEvent {
        ProgramEvent::JobReleased(JobReleased {
            job: self.job,
            client: self.client,
            provider,
            reason,
            escrow: self.escrow,
            max_price_per_hour: self.max_price_per_hour,
            timestamp: at,
        })
    }

    pub fn started(&self, provider: Pubkey, at: i64) -> ProgramEvent {
        ProgramEvent::JobStarted(JobStarted {
            job: self.job,
            client: self.client,
            provider,
            run_deadline: at + i64::from(self.duration_secs),
            timestamp: at,
        })
    }

    /// Extended by `added_secs` while running from `started`, the job's escrow now `escrow`.
    pub fn extended(&self, provider: Pubkey, added_secs: u32, added_escrow: u64, escrow: u64, started: i64, at: i64) -> ProgramEvent {
        let duration_secs = self.duration_secs + added_secs;
        ProgramEvent::JobExtended(JobExtended {
            job: self.job,
            client: self.client,
            provider,
            payment_mint: self.mint,
            added_secs,
            duration_secs,
            added_escrow,
            escrow,
            run_deadline: started + i64::from(duration_secs),
            timestamp: at,
        })
    }

    pub fn submitted(&self, provider: Pubkey, at: i64) -> ProgramEvent {
        ProgramEvent::ResultSubmitted(ResultSubmitted {
            job: self.job,
            client: self.client,
            provider,
            result_hash: [0x01; 32],
            review_deadline: at + 3_600,
            timestamp: at,
        })
    }

    pub fn completed(&self, provider: Pubkey, paid: Paid, at: i64) -> ProgramEvent {
        ProgramEvent::JobCompleted(JobCompleted {
            job: self.job,
            client: self.client,
            provider,
            payment_mint: self.mint,
            provider_payout: paid.payout,
            provider_payout_held: paid.held,
            fee: paid.fee,
            refund: paid.refund,
            surplus: paid.surplus,
            rating: Some(5),
            auto_released: false,
            provider_reputation: 5_100,
            timestamp: at,
        })
    }

    pub fn disputed(&self, provider: Pubkey, at: i64) -> ProgramEvent {
        ProgramEvent::JobDisputed(JobDisputed {
            job: self.job,
            client: self.client,
            provider,
            from_status: JobStatus::Submitted,
            escrow: self.escrow,
            dispute_deadline: at + 86_400,
            timestamp: at,
        })
    }

    pub fn resolved(&self, provider: Pubkey, provider_bps: u16, paid: Paid, at: i64) -> ProgramEvent {
        ProgramEvent::DisputeResolved(DisputeResolved {
            job: self.job,
            client: self.client,
            provider,
            arbiter: Pubkey::new_unique(),
            payment_mint: self.mint,
            provider_bps,
            provider_payout: paid.payout,
            provider_payout_held: paid.held,
            fee: paid.fee,
            refund: paid.refund,
            surplus: paid.surplus,
            provider_reputation: 4_900,
            bond_slashed: paid.slashed,
            timestamp: at,
        })
    }

    pub fn expired(&self, provider: Pubkey, reason: ExpiryReason, paid: Paid, at: i64) -> ProgramEvent {
        ProgramEvent::JobExpired(JobExpired {
            job: self.job,
            client: self.client,
            provider,
            payment_mint: self.mint,
            reason,
            provider_payout: paid.payout,
            provider_payout_held: paid.held,
            fee: paid.fee,
            refund: paid.refund,
            surplus: paid.surplus,
            provider_reputation: 4_800,
            bond_slashed: paid.slashed,
            timestamp: at,
        })
    }

    pub fn closed(&self, status: JobStatus, at: i64) -> ProgramEvent {
        ProgramEvent::JobClosed(JobClosed {
            job: self.job,
            client: self.client,
            status,
            rent_returned: 2_000_000,
            timestamp: at,
        })
    }
}

/// A settlement's amounts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Paid {
    pub payout: u64,
    pub held: u64,
    pub fee: u64,
    pub refund: u64,
    pub surplus: u64,
    /// Slashed from the provider's bond to the client.
    pub slashed: u64,
}

/// The API over `store`, with no indexing progress reported.
pub fn api(store: &Store) -> Router {
    api_with(store, SharedProgress::default())
}

pub fn api_with(store: &Store, progress: SharedProgress) -> Router {
    compute_market_indexer::api::router(store.clone(), progress, compute_market::ID)
}

/// An answer: status, headers and the body as JSON (Null when it is not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
}

pub async fn request(router: &Router, method: &str, uri: &str) -> Answer {
    let request = Request::builder().method(method).uri(uri).body(Body::empty()).expect("a request");
    let response = router.clone().oneshot(request).await.expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a body");
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Answer { status, headers, json }
}

/// GET `uri`, expecting 200: the JSON.
pub async fn get_ok(router: &Router, uri: &str) -> Value {
    let answer = request(router, "GET", uri).await;
    assert_eq!(answer.status, StatusCode::OK, "GET {uri}: {}", answer.json);
    answer.json
}

/// Every item of a paginated list, following `next_cursor` with `limit` items per page; checks that no page
/// is longer than `limit` and that only the last has no cursor.
pub async fn all_pages(router: &Router, uri: &str, limit: u32) -> Vec<Value> {
    let separator = if uri.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page_uri = match &cursor {
            Some(cursor) => format!("{uri}{separator}limit={limit}&cursor={cursor}"),
            None => format!("{uri}{separator}limit={limit}"),
        };
        let page = get_ok(router, &page_uri).await;
        let page_items = page["items"].as_array().expect("items").clone();
        assert!(page_items.len() <= limit as usize, "{page_uri}: a page longer than its limit");
        items.extend(page_items);
        match page["next_cursor"].as_str() {
            Some(next) => {
                assert_ne!(cursor.as_deref(), Some(next), "{page_uri}: the cursor repeated");
                cursor = Some(next.to_string());
            }
            None => return items,
        }
    }
}

/// The `key` field of every item, as strings.
pub fn field(items: &[Value], key: &str) -> Vec<String> {
    items.iter().map(|item| item[key].as_str().expect("a string field").to_string()).collect()
}
