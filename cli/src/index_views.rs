//! The index's records as the same JSON records the node's accounts make (views.rs): the same keys where
//! the index holds the figure, plus what only the index knows (outcomes, settlement times, closed jobs).

use compute_market::constants::TAKE_BACK_AFTER_SECS;
use compute_market_client::index_api::{Job, MarketStats, Provider, Rates, Resources};
use serde_json::{json, Map, Value};

use crate::figures::{amount_key, is_lamports, merged, money, Currencies};
use crate::views::assignment_policy;

/// "completed" -> "Completed", as the node's statuses are named.
pub fn status_name(status: &str) -> String {
    let mut chars = status.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A job in flight or waiting: its escrow is still held.
pub fn holds_escrow(job: &Job) -> bool {
    matches!(job.status.as_str(), "open" | "assigned" | "running" | "submitted" | "disputed")
}

fn resources(r: &Resources) -> Value {
    json!({ "cpu_cores": r.cpu_cores, "ram_gb": r.ram_gb, "storage_gb": r.storage_gb, "gpus": r.gpus })
}

fn rates(r: &Rates) -> Value {
    json!({
        "per_core_lamports": r.per_core, "per_gb_ram_lamports": r.per_gb_ram,
        "per_gb_storage_lamports": r.per_gb_storage, "per_gpu_lamports": r.per_gpu,
    })
}

/// A job with its amounts in its currency (`figures::money`).
pub fn job(j: &Job, currencies: &Currencies) -> Value {
    let currency = currencies.of_text(&j.mint);
    let amounts = [
        ("max_price_per_hour", j.max_price_per_hour),
        ("escrow", j.escrow),
        ("provider_payout", j.provider_payout),
        ("fee", j.fee),
        ("client_refund", j.refund),
        ("min_bond", j.min_bond),
        ("bond_slashed", j.bond_slashed),
    ];
    let record = json!({
        "address": j.address,
        "job_id": j.job_id,
        "status": status_name(&j.status),
        "outcome": j.outcome,
        "client": j.client,
        "provider": j.provider,
        "target_provider": j.target_provider,
        "payment_mint": if j.is_lamport_job() { Value::Null } else { Value::from(j.mint.clone()) },
        "requirements": resources(&j.requirements),
        "duration_secs": j.duration_secs,
        "fee_bps": j.fee_bps,
        "min_reputation": j.min_reputation,
        "slash_bps": j.slash_bps,
        "rating": j.rating,
        "spec_hash": j.spec_hash,
        "posted_at": j.posted_at,
        "assigned_at": j.assigned_at,
        "take_back_from": j.assigned_at.filter(|_| j.status == "assigned").map(|at| at + i64::from(TAKE_BACK_AFTER_SECS)),
        "started_at": j.started_at,
        "submitted_at": j.submitted_at,
        "settled_at": j.settled_at,
        "closed": j.closed,
    });
    let mut more = money(&currency, &amounts);
    more.insert(amount_key(&currency, "agreed_price_per_hour"), j.agreed_price_per_hour.into());
    merged(record, more)
}

pub fn provider(p: &Provider) -> Value {
    json!({
        "address": p.account,
        "authority": p.authority,
        "active": p.active,
        "retired": p.retired,
        "assigned_by": assignment_policy(p.assignment),
        "assignment_flags": p.assignment,
        "capacity": resources(&p.capacity),
        "free": resources(&p.free),
        "rates": rates(&p.rates),
        "reputation": p.reputation,
        "jobs_assigned": p.jobs_assigned,
        "jobs_completed": p.jobs_completed,
        "jobs_failed": p.jobs_failed,
        "total_earned_lamports": p.lamports_earned,
        "metadata_uri": p.metadata_uri,
        "registered_at": p.registered_at,
        "last_heartbeat_at": p.last_heartbeat_at,
    })
}

/// One client's job in its history, as `stats --client` lists it, its amounts in its currency.
pub fn history_entry(j: &Job, currencies: &Currencies) -> Value {
    let record = json!({ "address": j.address, "job_id": j.job_id, "status": status_name(&j.status), "closed": j.closed });
    merged(record, money(&currencies.of_text(&j.mint), &[("escrow", j.escrow), ("provider_payout", j.provider_payout), ("fee", j.fee)]))
}

/// The market's figures over the range: counts summed over currencies, lamport amounts as `totals`, and
/// each token's amounts (base units, with its decimals) under `tokens` by symbol (or short address).
pub fn market_stats(s: &MarketStats, currencies: &Currencies) -> Value {
    let count = |field: fn(&compute_market_client::index_api::MarketPoint) -> u64| s.totals.iter().map(field).sum::<u64>();
    let lamports = s.totals.iter().find(|t| is_lamports(&t.mint));
    let mut tokens = Map::new();
    for t in s.totals.iter().filter(|t| !is_lamports(&t.mint)) {
        let currency = currencies.of_text(&t.mint);
        tokens.insert(currency.name, json!({
            "mint": t.mint, "decimals": currency.decimals, "jobs_posted": t.jobs_posted, "jobs_completed": t.jobs_completed, "jobs_failed": t.jobs_failed,
            "volume": t.volume, "fees": t.fees, "refunds": t.refunds,
        }));
    }
    let mut record = json!({
        "from": s.from,
        "to": s.to,
        "active_providers": s.providers.active,
        "totals": {
            "providers": s.providers.registered,
            "clients": s.clients,
            "jobs_posted": count(|t| t.jobs_posted),
            "jobs_assigned": count(|t| t.jobs_assigned),
            "jobs_completed": count(|t| t.jobs_completed),
            "jobs_failed": count(|t| t.jobs_failed),
            "jobs_cancelled": count(|t| t.jobs_cancelled),
            "jobs_disputed": count(|t| t.jobs_disputed),
            "volume_lamports": lamports.map_or(0, |t| t.volume),
            "fees_lamports": lamports.map_or(0, |t| t.fees),
            "refunds_lamports": lamports.map_or(0, |t| t.refunds),
        },
    });
    if !tokens.is_empty() {
        record["tokens"] = Value::Object(tokens);
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_market_client::index_api::{MarketPoint, ProviderCounts, LAMPORTS_MINT};

    fn point(mint: &str, posted: u64, volume: u64) -> MarketPoint {
        MarketPoint {
            bucket_start: None, mint: mint.into(), jobs_posted: posted, jobs_assigned: posted, jobs_completed: 1, jobs_failed: 0,
            jobs_cancelled: 0, jobs_disputed: 0, volume, fees: volume / 40, refunds: 3,
        }
    }

    #[test]
    fn market_counts_add_up_over_currencies_and_amounts_stay_apart() {
        let stats = MarketStats {
            bucket: "day".into(), from: 10, to: 20, totals: vec![point(LAMPORTS_MINT, 2, 4_000), point("Mint1", 3, 800)], series: vec![],
            providers: ProviderCounts { registered: 5, active: 4 }, clients: 6,
        };
        let record = market_stats(&stats, &Currencies::default());
        assert_eq!(record["totals"]["jobs_posted"], 5);
        assert_eq!(record["totals"]["jobs_completed"], 2);
        assert_eq!((record["totals"]["volume_lamports"].as_u64(), record["totals"]["fees_lamports"].as_u64()), (Some(4_000), Some(100)));
        assert_eq!(record["tokens"]["Mint1"]["volume"], 800);
        assert_eq!((record["totals"]["providers"].as_u64(), record["active_providers"].as_u64(), record["totals"]["clients"].as_u64()), (Some(5), Some(4), Some(6)));
        let sol_only = market_stats(&MarketStats { totals: vec![point(LAMPORTS_MINT, 1, 10)], ..stats }, &Currencies::default());
        assert!(sol_only.get("tokens").is_none());
    }

    #[test]
    fn statuses_are_named_as_the_node_names_them() {
        assert_eq!(status_name("completed"), "Completed");
        assert_eq!(status_name("cancelled"), "Cancelled");
        assert_eq!(status_name(""), "");
    }
}
