//! The index's database: SQLite (a file, the default) or PostgreSQL (a `postgres://` URL), one schema and
//! one set of migrations for both, reached through sqlx's `Any` driver.

mod project;
pub mod read;
mod write;

use std::time::Duration;

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Executor, Row};

pub use write::IndexedTransaction;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the indexer stopped: the newest transaction applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub signature: String,
    pub slot: u64,
}

#[derive(Debug)]
pub enum StoreError {
    /// The URL names neither SQLite nor PostgreSQL.
    UnsupportedUrl(String),
    /// The database holds the index of another cluster or program.
    OtherIndex { key: &'static str, stored: String, given: String },
    Database(sqlx::Error),
    Migration(sqlx::migrate::MigrateError),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::UnsupportedUrl(url) => {
                write!(f, "database URL {url:?} is neither sqlite:<path> nor postgres://...")
            }
            StoreError::OtherIndex { key, stored, given } => {
                write!(f, "the database indexes {key} {stored}, not {given}; use another database")
            }
            StoreError::Database(error) => write!(f, "database: {error}"),
            StoreError::Migration(error) => write!(f, "database migration: {error}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::Database(error)
    }
}

/// An open index database.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens (creating a SQLite file if needed) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let (backend, url) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            let separator = if path.contains('?') { '&' } else { '?' };
            let mode = if path.contains("mode=") { String::new() } else { format!("{separator}mode=rwc") };
            (Backend::Sqlite, format!("sqlite://{path}{mode}"))
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // One writer beside the API's readers; readers see the last committed batch.
                        connection.execute("PRAGMA journal_mode = WAL").await?;
                        connection.execute("PRAGMA synchronous = NORMAL").await?;
                        connection.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await.map_err(StoreError::Migration)?;
        Ok(Store { pool, backend })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Records which cluster (genesis hash) and program this database indexes, or refuses another.
    pub async fn bind_to(&self, key: &'static str, value: &str) -> Result<(), StoreError> {
        match self.meta(key).await? {
            Some(stored) if stored != value => {
                Err(StoreError::OtherIndex { key, stored, given: value.to_string() })
            }
            Some(_) => Ok(()),
            None => self.set_meta(key, value).await,
        }
    }

    pub async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(&self.pool).await?;
        Ok(row.map(|row| row.get::<String, _>(0)))
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The newest transaction applied, if any.
    pub async fn cursor(&self) -> Result<Option<Cursor>, StoreError> {
        let signature = self.meta(write::CURSOR_SIGNATURE).await?;
        let slot = self.meta(write::CURSOR_SLOT).await?;
        Ok(signature.zip(slot).map(|(signature, slot)| Cursor { signature, slot: slot.parse().unwrap_or(0) }))
    }

    /// Marks every transaction and event at or below `slot` finalized.
    pub async fn mark_finalized(&self, slot: u64) -> Result<(), StoreError> {
        let slot = i64::try_from(slot).unwrap_or(i64::MAX);
        let mut transaction = self.pool.begin().await?;
        sqlx::query("UPDATE transactions SET finalized = 1 WHERE finalized = 0 AND slot <= $1")
            .bind(slot)
            .execute(&mut *transaction)
            .await?;
        sqlx::query("UPDATE events SET finalized = 1 WHERE finalized = 0 AND slot <= $1")
            .bind(slot)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(())
    }
}

/// A u64 amount or counter in a BIGINT column (saturating at i64::MAX, far beyond any real amount).
pub(crate) fn big(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
