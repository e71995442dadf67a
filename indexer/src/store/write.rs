//! The write path: a batch of the program's transactions, oldest first, applied in one database
//! transaction together with the cursor, so a batch is applied whole or not at all. A transaction already
//! applied is skipped by its signature, so replaying a batch changes nothing.

use sqlx::{Any, Row, Transaction};

use super::{big, project, Store, StoreError};
use crate::events::EventRecord;

pub(super) const CURSOR_SIGNATURE: &str = "cursor_signature";
pub(super) const CURSOR_SLOT: &str = "cursor_slot";

/// A transaction of the program as the node returned it, with its decoded events.
pub struct IndexedTransaction {
    pub signature: String,
    pub slot: u64,
    pub block_time: i64,
    /// The transaction failed: its events (if any were logged) did not happen.
    pub failed: bool,
    pub events: Vec<EventRecord>,
    /// Why some or all of its log was not read (logged by the indexer too).
    pub ignored_reason: Option<String>,
}

impl Store {
    /// Applies `batch` (oldest first) and moves the cursor to its last transaction. Returns how many events
    /// were new.
    pub async fn apply(&self, batch: &[IndexedTransaction]) -> Result<u64, StoreError> {
        let Some(last) = batch.last() else { return Ok(0) };
        let mut db = self.pool.begin().await?;
        let mut next_id: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM events")
            .fetch_one(&mut *db)
            .await?
            .try_get::<i64, _>(0)?
            + 1;
        let mut added = 0;
        for transaction in batch {
            if !insert_transaction(&mut db, transaction).await? || transaction.failed {
                continue;
            }
            for record in &transaction.events {
                insert_event(&mut db, transaction, record, next_id).await?;
                project::apply(&mut db, &record.event, next_id).await?;
                next_id += 1;
                added += 1;
            }
        }
        set(&mut db, CURSOR_SIGNATURE, &last.signature).await?;
        set(&mut db, CURSOR_SLOT, &last.slot.to_string()).await?;
        db.commit().await?;
        Ok(added)
    }
}

async fn insert_transaction(db: &mut Transaction<'_, Any>, t: &IndexedTransaction) -> Result<bool, StoreError> {
    let inserted = sqlx::query(
        "INSERT INTO transactions (signature, slot, block_time, failed, events, ignored_reason, finalized) \
         VALUES ($1, $2, $3, $4, $5, $6, 0) ON CONFLICT (signature) DO NOTHING",
    )
    .bind(&t.signature)
    .bind(big(t.slot))
    .bind(t.block_time)
    .bind(i64::from(t.failed))
    .bind(if t.failed { 0 } else { t.events.len() as i64 })
    .bind(t.ignored_reason.clone())
    .execute(&mut **db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

async fn insert_event(
    db: &mut Transaction<'_, Any>,
    t: &IndexedTransaction,
    record: &EventRecord,
    id: i64,
) -> Result<(), StoreError> {
    let keys = project::keys(&record.event);
    sqlx::query(
        "INSERT INTO events (id, signature, instruction, seq, slot, block_time, name, job, provider, client, mint, \
         data, finalized) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0)",
    )
    .bind(id)
    .bind(&t.signature)
    .bind(i64::from(record.instruction))
    .bind(i64::from(record.seq))
    .bind(big(t.slot))
    .bind(t.block_time)
    .bind(record.event.name())
    .bind(keys.job)
    .bind(keys.provider)
    .bind(keys.client)
    .bind(keys.mint)
    .bind(record.event.to_json().to_string())
    .execute(&mut **db)
    .await?;
    Ok(())
}

async fn set(db: &mut Transaction<'_, Any>, key: &str, value: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(&mut **db)
        .await?;
    Ok(())
}
