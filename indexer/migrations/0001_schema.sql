-- compute_market's index. One schema for SQLite and PostgreSQL: integers are BIGINT (flags 0/1), keys and
-- names TEXT, times Unix seconds. Amounts are in the job's currency's base units (lamports or token units).

CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every transaction of the program the indexer has applied, whether or not it carried events.
CREATE TABLE IF NOT EXISTS transactions (
    signature TEXT PRIMARY KEY,
    slot BIGINT NOT NULL,
    block_time BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    events BIGINT NOT NULL,
    ignored_reason TEXT,
    finalized BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS transactions_slot ON transactions (slot);

CREATE TABLE IF NOT EXISTS events (
    id BIGINT PRIMARY KEY,
    signature TEXT NOT NULL,
    instruction BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    slot BIGINT NOT NULL,
    block_time BIGINT NOT NULL,
    name TEXT NOT NULL,
    job TEXT,
    provider TEXT,
    client TEXT,
    mint TEXT,
    data TEXT NOT NULL,
    finalized BIGINT NOT NULL,
    UNIQUE (signature, instruction, seq)
);
CREATE INDEX IF NOT EXISTS events_job ON events (job, id);
CREATE INDEX IF NOT EXISTS events_provider ON events (provider, id);
CREATE INDEX IF NOT EXISTS events_client ON events (client, id);
CREATE INDEX IF NOT EXISTS events_name ON events (name, id);
CREATE INDEX IF NOT EXISTS events_slot ON events (slot);

-- One row per job account the program created; `status` follows its events ('cancelled' once cancelled).
CREATE TABLE IF NOT EXISTS jobs (
    address TEXT PRIMARY KEY,
    client TEXT NOT NULL,
    provider TEXT,
    job_id BIGINT NOT NULL,
    mint TEXT NOT NULL,
    status TEXT NOT NULL,
    cpu_cores BIGINT NOT NULL,
    ram_gb BIGINT NOT NULL,
    storage_gb BIGINT NOT NULL,
    gpus BIGINT NOT NULL,
    duration_secs BIGINT NOT NULL,
    max_price_per_hour BIGINT NOT NULL,
    agreed_price_per_hour BIGINT,
    escrow BIGINT NOT NULL,
    min_reputation BIGINT NOT NULL,
    target_provider TEXT,
    spec_hash TEXT NOT NULL,
    fee_bps BIGINT NOT NULL,
    provider_payout BIGINT NOT NULL,
    fee BIGINT NOT NULL,
    refund BIGINT NOT NULL,
    rating BIGINT,
    outcome TEXT,
    posted_at BIGINT NOT NULL,
    assigned_at BIGINT,
    started_at BIGINT,
    submitted_at BIGINT,
    settled_at BIGINT,
    closed BIGINT NOT NULL,
    posted_event BIGINT NOT NULL,
    last_event BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_posted ON jobs (posted_event);
CREATE INDEX IF NOT EXISTS jobs_client ON jobs (client, posted_event);
CREATE INDEX IF NOT EXISTS jobs_provider ON jobs (provider, posted_event);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, posted_event);
CREATE INDEX IF NOT EXISTS jobs_mint ON jobs (mint, posted_event);

-- One row per provider authority; `account` is the Provider PDA.
CREATE TABLE IF NOT EXISTS providers (
    authority TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    cpu_cores BIGINT NOT NULL,
    ram_gb BIGINT NOT NULL,
    storage_gb BIGINT NOT NULL,
    gpus BIGINT NOT NULL,
    free_cpu_cores BIGINT NOT NULL,
    free_ram_gb BIGINT NOT NULL,
    free_storage_gb BIGINT NOT NULL,
    free_gpus BIGINT NOT NULL,
    rates TEXT NOT NULL,
    metadata_uri TEXT NOT NULL,
    assignment BIGINT NOT NULL,
    active BIGINT NOT NULL,
    retired BIGINT NOT NULL,
    reputation BIGINT NOT NULL,
    jobs_assigned BIGINT NOT NULL,
    jobs_completed BIGINT NOT NULL,
    jobs_failed BIGINT NOT NULL,
    lamports_earned BIGINT NOT NULL,
    registered_at BIGINT NOT NULL,
    last_heartbeat_at BIGINT NOT NULL,
    registered_event BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS providers_registered ON providers (registered_event);
CREATE INDEX IF NOT EXISTS providers_reputation ON providers (reputation, registered_event);

CREATE TABLE IF NOT EXISTS clients (
    authority TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    jobs_posted BIGINT NOT NULL,
    jobs_completed BIGINT NOT NULL,
    jobs_cancelled BIGINT NOT NULL,
    jobs_expired BIGINT NOT NULL,
    jobs_disputed BIGINT NOT NULL,
    lamports_spent BIGINT NOT NULL,
    registered_at BIGINT NOT NULL,
    registered_event BIGINT NOT NULL
);

-- Time series: one row per hour (bucket = Unix seconds of the hour's start) and currency; days are sums of
-- hours. Volume is what settled jobs paid (provider payout, held payout and fee).
CREATE TABLE IF NOT EXISTS market_hourly (
    bucket BIGINT NOT NULL,
    mint TEXT NOT NULL,
    jobs_posted BIGINT NOT NULL,
    jobs_assigned BIGINT NOT NULL,
    jobs_completed BIGINT NOT NULL,
    jobs_failed BIGINT NOT NULL,
    jobs_cancelled BIGINT NOT NULL,
    jobs_disputed BIGINT NOT NULL,
    volume BIGINT NOT NULL,
    fees BIGINT NOT NULL,
    refunds BIGINT NOT NULL,
    PRIMARY KEY (bucket, mint)
);

-- Per provider: jobs settled, earnings, core-seconds of runs ended in the hour (utilisation) and heartbeats.
CREATE TABLE IF NOT EXISTS provider_hourly (
    authority TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    mint TEXT NOT NULL,
    jobs_completed BIGINT NOT NULL,
    jobs_failed BIGINT NOT NULL,
    earnings BIGINT NOT NULL,
    busy_core_secs BIGINT NOT NULL,
    heartbeats BIGINT NOT NULL,
    PRIMARY KEY (authority, bucket, mint)
);

CREATE TABLE IF NOT EXISTS client_hourly (
    authority TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    mint TEXT NOT NULL,
    jobs_posted BIGINT NOT NULL,
    jobs_completed BIGINT NOT NULL,
    spent BIGINT NOT NULL,
    fees BIGINT NOT NULL,
    refunded BIGINT NOT NULL,
    PRIMARY KEY (authority, bucket, mint)
);
