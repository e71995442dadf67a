//! The read side of the index: the records the API serves and the queries behind them. Every query runs
//! unchanged on SQLite and PostgreSQL through the `Any` driver: values are bound (`$n`), never spliced in;
//! sums are cast to BIGINT (PostgreSQL sums BIGINT into NUMERIC, which `Any` cannot decode); flags compare
//! with `= 1`. Lists are keyset-paginated on an indexed, unique integer (the sort key is the cursor).

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row};
use utoipa::ToSchema;

use super::{Store, StoreError};

/// Amounts of resources (a provider's capacity or free share, a job's requirements).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Resources {
    pub cpu_cores: u64,
    pub ram_gb: u64,
    pub storage_gb: u64,
    pub gpus: u64,
}

/// Lamports per unit-hour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rates {
    pub per_core: u64,
    pub per_gb_ram: u64,
    pub per_gb_storage: u64,
    pub per_gpu: u64,
}

/// A provider as its events left it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Provider {
    /// The wallet that registered it; the provider's key in the API.
    pub authority: String,
    /// The Provider account (PDA).
    pub account: String,
    pub capacity: Resources,
    /// What its current jobs leave free.
    pub free: Resources,
    pub rates: Rates,
    pub metadata_uri: String,
    /// Who besides the provider may assign it jobs: the program's ASSIGN_BY_* flags.
    pub assignment: u64,
    pub active: bool,
    /// Closed its account (its record stays for a later registration).
    pub retired: bool,
    /// Basis points.
    pub reputation: u64,
    pub jobs_assigned: u64,
    pub jobs_completed: u64,
    pub jobs_failed: u64,
    /// Earnings of lamport jobs (token earnings are in its stats).
    pub lamports_earned: u64,
    pub registered_at: i64,
    pub last_heartbeat_at: i64,
}

/// A job account as its events left it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Job {
    pub address: String,
    pub client: String,
    /// The assigned provider's authority.
    pub provider: Option<String>,
    pub job_id: u64,
    /// The payment mint; `11111111111111111111111111111111` for lamports.
    pub mint: String,
    /// `open`, `assigned`, `running`, `submitted`, `disputed`, `completed`, `expired`, `resolved` or `cancelled`.
    pub status: String,
    /// How it got there: `accepted`, `auto_released`, `ruled`, `not_started`, `no_result`, `dispute_unresolved`,
    /// `cancelled`, or `declined` / `taken_back` for an open job that was assigned before.
    pub outcome: Option<String>,
    pub requirements: Resources,
    pub duration_secs: u64,
    pub max_price_per_hour: u64,
    pub agreed_price_per_hour: Option<u64>,
    pub escrow: u64,
    pub min_reputation: u64,
    /// The bond its provider must have free (in the job's currency), and the share of it slashed to the
    /// client if the provider fails the job.
    pub min_bond: u64,
    pub slash_bps: u64,
    /// Slashed from the provider's bond to the client when the job ended.
    pub bond_slashed: u64,
    pub target_provider: Option<String>,
    /// Hex.
    pub spec_hash: String,
    pub fee_bps: u64,
    /// Paid to the provider, including a payout held on the provider's record.
    pub provider_payout: u64,
    pub fee: u64,
    /// Returned to the client, including any token surplus.
    pub refund: u64,
    pub rating: Option<u64>,
    pub posted_at: i64,
    pub assigned_at: Option<i64>,
    pub started_at: Option<i64>,
    pub submitted_at: Option<i64>,
    pub settled_at: Option<i64>,
    /// The account is closed.
    pub closed: bool,
}

/// One event of the program, where it happened and what it carried.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Event {
    /// Its position in the index (ascending in chain order).
    pub id: u64,
    pub signature: String,
    /// Index of the top-level instruction that emitted it.
    pub instruction: u64,
    pub slot: u64,
    pub block_time: i64,
    /// The event's name in the program, e.g. `JobPosted`.
    pub name: String,
    pub finalized: bool,
    /// Every field of the event by its name in the program (keys base58, hashes hex, enums snake_case).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// A client (a wallet that posted jobs or registered a profile).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Client {
    pub authority: String,
    /// The client profile account (PDA).
    pub profile: String,
    pub jobs_posted: u64,
    pub jobs_completed: u64,
    pub jobs_cancelled: u64,
    pub jobs_expired: u64,
    pub jobs_disputed: u64,
    /// What lamport jobs cost it (payouts and fees).
    pub lamports_spent: u64,
    /// Its first event.
    pub registered_at: i64,
}

/// A page of a list and the cursor of the next (none after the last page).
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Which page: at most `limit` items after (in the list's order) the item whose sort key is `after`.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest {
    pub limit: u32,
    pub after: Option<i64>,
}

#[derive(Clone, Debug, Default)]
pub struct ProviderFilter {
    pub active: Option<bool>,
    pub retired: Option<bool>,
    pub min_reputation: Option<i64>,
    pub min_cpu_cores: Option<i64>,
    pub min_ram_gb: Option<i64>,
    pub min_gpus: Option<i64>,
}

#[derive(Clone, Debug, Default)]
pub struct JobFilter {
    pub client: Option<String>,
    /// The provider's authority.
    pub provider: Option<String>,
    pub status: Option<String>,
    pub mint: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    pub name: Option<String>,
    pub job: Option<String>,
    pub client: Option<String>,
    pub provider: Option<String>,
}

/// A time range of whole buckets, `from` inclusive, `to` exclusive, both multiples of `size` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Buckets {
    pub size: i64,
    pub from: i64,
    pub to: i64,
}

/// Sums of the market's hours in one bucket and currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarketSums {
    pub bucket_start: i64,
    pub mint: String,
    pub jobs_posted: i64,
    pub jobs_assigned: i64,
    pub jobs_completed: i64,
    pub jobs_failed: i64,
    pub jobs_cancelled: i64,
    pub jobs_disputed: i64,
    pub volume: i64,
    pub fees: i64,
    pub refunds: i64,
}

/// Sums of a provider's hours in one bucket and currency; the currency `""` holds its heartbeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderSums {
    pub bucket_start: i64,
    pub mint: String,
    pub jobs_completed: i64,
    pub jobs_failed: i64,
    pub earnings: i64,
    pub busy_core_secs: i64,
    pub heartbeats: i64,
    /// Hours of the bucket with at least one heartbeat.
    pub up_hours: i64,
}

/// Sums of a client's hours in one bucket and currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSums {
    pub bucket_start: i64,
    pub mint: String,
    pub jobs_posted: i64,
    pub jobs_completed: i64,
    pub spent: i64,
    pub fees: i64,
    pub refunded: i64,
}

/// How many providers and clients the index knows now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Population {
    /// Providers with an account (not retired).
    pub providers_registered: i64,
    /// Of those, the ones taking jobs.
    pub providers_active: i64,
    pub clients: i64,
}

/// A value bound to a query.
enum Arg {
    Int(i64),
    Text(String),
}

/// A SELECT whose conditions are fixed SQL fragments chosen by code and whose values are all bound.
struct Select {
    sql: String,
    args: Vec<Arg>,
}

impl Select {
    /// `base` ends in a WHERE clause that conditions extend with AND.
    fn new(base: &str) -> Select {
        Select { sql: base.to_string(), args: Vec::new() }
    }

    /// Adds `AND <left> $n`, `left` being a column and operator written in code.
    fn and(&mut self, left: &'static str, arg: Arg) {
        self.args.push(arg);
        self.sql.push_str(&format!(" AND {left} ${}", self.args.len()));
    }

    fn and_text(&mut self, left: &'static str, value: &Option<String>) {
        if let Some(value) = value {
            self.and(left, Arg::Text(value.clone()));
        }
    }

    fn and_int(&mut self, left: &'static str, value: Option<i64>) {
        if let Some(value) = value {
            self.and(left, Arg::Int(value));
        }
    }

    /// Appends `tail` (ORDER BY ...) and `LIMIT $n`.
    fn finish(&mut self, tail: &'static str, limit: i64) {
        self.args.push(Arg::Int(limit));
        self.sql.push_str(&format!(" {tail} LIMIT ${}", self.args.len()));
    }

    async fn fetch_all(self, store: &Store) -> Result<Vec<AnyRow>, StoreError> {
        let mut query = sqlx::query::<Any>(&self.sql);
        for arg in self.args {
            query = match arg {
                Arg::Int(value) => query.bind(value),
                Arg::Text(value) => query.bind(value),
            };
        }
        Ok(query.fetch_all(store.pool()).await?)
    }
}

/// A count or amount column (never negative in a consistent index; clamped at zero otherwise).
fn unsigned(row: &AnyRow, index: usize) -> Result<u64, sqlx::Error> {
    Ok(u64::try_from(row.try_get::<i64, _>(index)?).unwrap_or(0))
}

fn int(row: &AnyRow, index: usize) -> Result<i64, sqlx::Error> {
    row.try_get::<i64, _>(index)
}

fn flag(row: &AnyRow, index: usize) -> Result<bool, sqlx::Error> {
    Ok(row.try_get::<i64, _>(index)? != 0)
}

fn text(row: &AnyRow, index: usize) -> Result<String, sqlx::Error> {
    row.try_get::<String, _>(index)
}

fn decode_error(what: &str, error: serde_json::Error) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(format!("{what}: {error}").into()))
}

/// Cuts the extra row a page query fetched and names the cursor of the next page.
fn page<T>(mut items: Vec<(i64, T)>, limit: u32) -> Page<T> {
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_cursor = if more { items.last().map(|(key, _)| key.to_string()) } else { None };
    Page { items: items.into_iter().map(|(_, item)| item).collect(), next_cursor }
}

const PROVIDER_COLUMNS: &str = "SELECT authority, account, cpu_cores, ram_gb, storage_gb, gpus, free_cpu_cores, \
    free_ram_gb, free_storage_gb, free_gpus, rates, metadata_uri, assignment, active, retired, reputation, \
    jobs_assigned, jobs_completed, jobs_failed, lamports_earned, registered_at, last_heartbeat_at, registered_event \
    FROM providers WHERE 1 = 1";

fn provider(row: &AnyRow) -> Result<(i64, Provider), StoreError> {
    let resources = |at: usize| -> Result<Resources, sqlx::Error> {
        Ok(Resources {
            cpu_cores: unsigned(row, at)?,
            ram_gb: unsigned(row, at + 1)?,
            storage_gb: unsigned(row, at + 2)?,
            gpus: unsigned(row, at + 3)?,
        })
    };
    let rates: Rates = serde_json::from_str(&text(row, 10)?).map_err(|e| decode_error("provider rates", e))?;
    let provider = Provider {
        authority: text(row, 0)?,
        account: text(row, 1)?,
        capacity: resources(2)?,
        free: resources(6)?,
        rates,
        metadata_uri: text(row, 11)?,
        assignment: unsigned(row, 12)?,
        active: flag(row, 13)?,
        retired: flag(row, 14)?,
        reputation: unsigned(row, 15)?,
        jobs_assigned: unsigned(row, 16)?,
        jobs_completed: unsigned(row, 17)?,
        jobs_failed: unsigned(row, 18)?,
        lamports_earned: unsigned(row, 19)?,
        registered_at: int(row, 20)?,
        last_heartbeat_at: int(row, 21)?,
    };
    Ok((int(row, 22)?, provider))
}

const JOB_COLUMNS: &str = "SELECT address, client, provider, job_id, mint, status, outcome, cpu_cores, ram_gb, \
    storage_gb, gpus, duration_secs, max_price_per_hour, agreed_price_per_hour, escrow, min_reputation, \
    target_provider, spec_hash, fee_bps, provider_payout, fee, refund, rating, posted_at, assigned_at, started_at, \
    submitted_at, settled_at, closed, posted_event, min_bond, slash_bps, bond_slashed FROM jobs WHERE 1 = 1";

fn job(row: &AnyRow) -> Result<(i64, Job), StoreError> {
    let optional = |at: usize| row.try_get::<Option<i64>, _>(at);
    let optional_unsigned = |at: usize| optional(at).map(|v| v.map(|v| u64::try_from(v).unwrap_or(0)));
    let job = Job {
        address: text(row, 0)?,
        client: text(row, 1)?,
        provider: row.try_get::<Option<String>, _>(2)?,
        job_id: unsigned(row, 3)?,
        mint: text(row, 4)?,
        status: text(row, 5)?,
        outcome: row.try_get::<Option<String>, _>(6)?,
        requirements: Resources {
            cpu_cores: unsigned(row, 7)?,
            ram_gb: unsigned(row, 8)?,
            storage_gb: unsigned(row, 9)?,
            gpus: unsigned(row, 10)?,
        },
        duration_secs: unsigned(row, 11)?,
        max_price_per_hour: unsigned(row, 12)?,
        agreed_price_per_hour: optional_unsigned(13)?,
        escrow: unsigned(row, 14)?,
        min_reputation: unsigned(row, 15)?,
        min_bond: unsigned(row, 30)?,
        slash_bps: unsigned(row, 31)?,
        bond_slashed: unsigned(row, 32)?,
        target_provider: row.try_get::<Option<String>, _>(16)?,
        spec_hash: text(row, 17)?,
        fee_bps: unsigned(row, 18)?,
        provider_payout: unsigned(row, 19)?,
        fee: unsigned(row, 20)?,
        refund: unsigned(row, 21)?,
        rating: optional_unsigned(22)?,
        posted_at: int(row, 23)?,
        assigned_at: optional(24)?,
        started_at: optional(25)?,
        submitted_at: optional(26)?,
        settled_at: optional(27)?,
        closed: flag(row, 28)?,
    };
    Ok((int(row, 29)?, job))
}

const EVENT_COLUMNS: &str =
    "SELECT id, signature, instruction, slot, block_time, name, finalized, data FROM events WHERE 1 = 1";

fn event(row: &AnyRow) -> Result<(i64, Event), StoreError> {
    let id = int(row, 0)?;
    let data = serde_json::from_str(&text(row, 7)?).map_err(|e| decode_error("event data", e))?;
    let event = Event {
        id: u64::try_from(id).unwrap_or(0),
        signature: text(row, 1)?,
        instruction: unsigned(row, 2)?,
        slot: unsigned(row, 3)?,
        block_time: int(row, 4)?,
        name: text(row, 5)?,
        finalized: flag(row, 6)?,
        data,
    };
    Ok((id, event))
}

fn client(row: &AnyRow) -> Result<Client, StoreError> {
    Ok(Client {
        authority: text(row, 0)?,
        profile: text(row, 1)?,
        jobs_posted: unsigned(row, 2)?,
        jobs_completed: unsigned(row, 3)?,
        jobs_cancelled: unsigned(row, 4)?,
        jobs_expired: unsigned(row, 5)?,
        jobs_disputed: unsigned(row, 6)?,
        lamports_spent: unsigned(row, 7)?,
        registered_at: int(row, 8)?,
    })
}

fn all<T>(rows: Vec<AnyRow>, decode: fn(&AnyRow) -> Result<T, StoreError>) -> Result<Vec<T>, StoreError> {
    rows.iter().map(decode).collect()
}

/// `(bucket / size) * size`: the start of the bucket an hour row falls in. Integer division truncates in
/// both databases, and hours are never negative. `size` comes from [`Buckets`], never from input text.
fn bucket_start(buckets: &Buckets) -> String {
    format!("(bucket / {size}) * {size}", size = buckets.size)
}

impl Store {
    /// Providers, newest registration first.
    pub async fn providers(&self, filter: &ProviderFilter, request: PageRequest) -> Result<Page<Provider>, StoreError> {
        let mut select = Select::new(PROVIDER_COLUMNS);
        select.and_int("active =", filter.active.map(i64::from));
        select.and_int("retired =", filter.retired.map(i64::from));
        select.and_int("reputation >=", filter.min_reputation);
        select.and_int("cpu_cores >=", filter.min_cpu_cores);
        select.and_int("ram_gb >=", filter.min_ram_gb);
        select.and_int("gpus >=", filter.min_gpus);
        select.and_int("registered_event <", request.after);
        select.finish("ORDER BY registered_event DESC", i64::from(request.limit) + 1);
        Ok(page(all(select.fetch_all(self).await?, provider)?, request.limit))
    }

    pub async fn provider(&self, authority: &str) -> Result<Option<Provider>, StoreError> {
        let mut select = Select::new(PROVIDER_COLUMNS);
        select.and("authority =", Arg::Text(authority.to_string()));
        let rows = select.fetch_all(self).await?;
        Ok(rows.first().map(provider).transpose()?.map(|(_, provider)| provider))
    }

    /// Jobs, newest post first.
    pub async fn jobs(&self, filter: &JobFilter, request: PageRequest) -> Result<Page<Job>, StoreError> {
        let mut select = Select::new(JOB_COLUMNS);
        select.and_text("client =", &filter.client);
        select.and_text("provider =", &filter.provider);
        select.and_text("status =", &filter.status);
        select.and_text("mint =", &filter.mint);
        select.and_int("posted_event <", request.after);
        select.finish("ORDER BY posted_event DESC", i64::from(request.limit) + 1);
        Ok(page(all(select.fetch_all(self).await?, job)?, request.limit))
    }

    pub async fn job(&self, address: &str) -> Result<Option<Job>, StoreError> {
        let mut select = Select::new(JOB_COLUMNS);
        select.and("address =", Arg::Text(address.to_string()));
        let rows = select.fetch_all(self).await?;
        Ok(rows.first().map(job).transpose()?.map(|(_, job)| job))
    }

    /// A job's events, oldest first (its timeline, across every use of its address).
    pub async fn job_events(&self, job: &str, request: PageRequest) -> Result<Page<Event>, StoreError> {
        let mut select = Select::new(EVENT_COLUMNS);
        select.and("job =", Arg::Text(job.to_string()));
        select.and_int("id >", request.after);
        select.finish("ORDER BY id ASC", i64::from(request.limit) + 1);
        Ok(page(all(select.fetch_all(self).await?, event)?, request.limit))
    }

    /// Events, newest first.
    pub async fn events(&self, filter: &EventFilter, request: PageRequest) -> Result<Page<Event>, StoreError> {
        let mut select = Select::new(EVENT_COLUMNS);
        select.and_text("name =", &filter.name);
        select.and_text("job =", &filter.job);
        select.and_text("client =", &filter.client);
        select.and_text("provider =", &filter.provider);
        select.and_int("id <", request.after);
        select.finish("ORDER BY id DESC", i64::from(request.limit) + 1);
        Ok(page(all(select.fetch_all(self).await?, event)?, request.limit))
    }

    pub async fn client(&self, authority: &str) -> Result<Option<Client>, StoreError> {
        let mut select = Select::new(
            "SELECT authority, profile, jobs_posted, jobs_completed, jobs_cancelled, jobs_expired, jobs_disputed, \
             lamports_spent, registered_at FROM clients WHERE 1 = 1",
        );
        select.and("authority =", Arg::Text(authority.to_string()));
        let rows = select.fetch_all(self).await?;
        rows.first().map(client).transpose()
    }

    /// The market per bucket and currency that had activity, oldest bucket first.
    pub async fn market_sums(&self, buckets: &Buckets, mint: Option<&str>) -> Result<Vec<MarketSums>, StoreError> {
        let mut select = Select::new(&format!(
            "SELECT {start} AS bucket_start, mint, CAST(SUM(jobs_posted) AS BIGINT), \
             CAST(SUM(jobs_assigned) AS BIGINT), CAST(SUM(jobs_completed) AS BIGINT), \
             CAST(SUM(jobs_failed) AS BIGINT), CAST(SUM(jobs_cancelled) AS BIGINT), \
             CAST(SUM(jobs_disputed) AS BIGINT), CAST(SUM(volume) AS BIGINT), CAST(SUM(fees) AS BIGINT), \
             CAST(SUM(refunds) AS BIGINT) FROM market_hourly WHERE 1 = 1",
            start = bucket_start(buckets)
        ));
        select.and("bucket >=", Arg::Int(buckets.from));
        select.and("bucket <", Arg::Int(buckets.to));
        select.and_text("mint =", &mint.map(str::to_string));
        select.sql.push_str(" GROUP BY bucket_start, mint ORDER BY bucket_start, mint");
        all(select.fetch_all(self).await?, |row| {
            Ok(MarketSums {
                bucket_start: int(row, 0)?,
                mint: text(row, 1)?,
                jobs_posted: int(row, 2)?,
                jobs_assigned: int(row, 3)?,
                jobs_completed: int(row, 4)?,
                jobs_failed: int(row, 5)?,
                jobs_cancelled: int(row, 6)?,
                jobs_disputed: int(row, 7)?,
                volume: int(row, 8)?,
                fees: int(row, 9)?,
                refunds: int(row, 10)?,
            })
        })
    }

    /// A provider's hours summed per bucket and currency (`""`: heartbeats), oldest bucket first.
    pub async fn provider_sums(&self, authority: &str, buckets: &Buckets) -> Result<Vec<ProviderSums>, StoreError> {
        let mut select = Select::new(&format!(
            "SELECT {start} AS bucket_start, mint, CAST(SUM(jobs_completed) AS BIGINT), \
             CAST(SUM(jobs_failed) AS BIGINT), CAST(SUM(earnings) AS BIGINT), CAST(SUM(busy_core_secs) AS BIGINT), \
             CAST(SUM(heartbeats) AS BIGINT), COUNT(CASE WHEN heartbeats > 0 THEN 1 END) \
             FROM provider_hourly WHERE 1 = 1",
            start = bucket_start(buckets)
        ));
        select.and("authority =", Arg::Text(authority.to_string()));
        select.and("bucket >=", Arg::Int(buckets.from));
        select.and("bucket <", Arg::Int(buckets.to));
        select.sql.push_str(" GROUP BY bucket_start, mint ORDER BY bucket_start, mint");
        all(select.fetch_all(self).await?, |row| {
            Ok(ProviderSums {
                bucket_start: int(row, 0)?,
                mint: text(row, 1)?,
                jobs_completed: int(row, 2)?,
                jobs_failed: int(row, 3)?,
                earnings: int(row, 4)?,
                busy_core_secs: int(row, 5)?,
                heartbeats: int(row, 6)?,
                up_hours: int(row, 7)?,
            })
        })
    }

    /// Hours in `[from, to)` in which a provider sent at least one heartbeat.
    pub async fn provider_up_hours(&self, authority: &str, from: i64, to: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM provider_hourly WHERE authority = $1 AND mint = '' AND heartbeats > 0 \
             AND bucket >= $2 AND bucket < $3",
        )
        .bind(authority)
        .bind(from)
        .bind(to)
        .fetch_one(self.pool())
        .await?;
        Ok(int(&row, 0)?)
    }

    /// A client's hours summed per bucket and currency, oldest bucket first.
    pub async fn client_sums(&self, authority: &str, buckets: &Buckets) -> Result<Vec<ClientSums>, StoreError> {
        let mut select = Select::new(&format!(
            "SELECT {start} AS bucket_start, mint, CAST(SUM(jobs_posted) AS BIGINT), \
             CAST(SUM(jobs_completed) AS BIGINT), CAST(SUM(spent) AS BIGINT), CAST(SUM(fees) AS BIGINT), \
             CAST(SUM(refunded) AS BIGINT) FROM client_hourly WHERE 1 = 1",
            start = bucket_start(buckets)
        ));
        select.and("authority =", Arg::Text(authority.to_string()));
        select.and("bucket >=", Arg::Int(buckets.from));
        select.and("bucket <", Arg::Int(buckets.to));
        select.sql.push_str(" GROUP BY bucket_start, mint ORDER BY bucket_start, mint");
        all(select.fetch_all(self).await?, |row| {
            Ok(ClientSums {
                bucket_start: int(row, 0)?,
                mint: text(row, 1)?,
                jobs_posted: int(row, 2)?,
                jobs_completed: int(row, 3)?,
                spent: int(row, 4)?,
                fees: int(row, 5)?,
                refunded: int(row, 6)?,
            })
        })
    }

    /// Providers and clients known now (small tables: counted).
    pub async fn population(&self) -> Result<Population, StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM providers WHERE retired = 0), \
             (SELECT COUNT(*) FROM providers WHERE retired = 0 AND active = 1), (SELECT COUNT(*) FROM clients)",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(Population { providers_registered: int(&row, 0)?, providers_active: int(&row, 1)?, clients: int(&row, 2)? })
    }

    /// Events indexed: ids are assigned 1, 2, 3... in one writer's transactions, so the largest is the count
    /// (one index lookup, unlike COUNT(*)).
    pub async fn event_count(&self) -> Result<u64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM events").fetch_one(self.pool()).await?;
        Ok(unsigned(&row, 0)?)
    }

    /// Transactions applied, counted (a scan: callers keep the result and add what ingest applies after).
    pub async fn transaction_count(&self) -> Result<u64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM transactions").fetch_one(self.pool()).await?;
        Ok(unsigned(&row, 0)?)
    }
}
