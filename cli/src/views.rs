//! Accounts and analytics as JSON records: keys in base58, amounts in lamports (or, for a job paid in a
//! token, in its base units with its currency: `figures::money`), statuses by name.

use anchor_lang::prelude::Pubkey;
use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, TAKE_BACK_AFTER_SECS};
use compute_market::state::{Bond, ClientProfile, Job, JobStatus, Market, Provider, Rates, Resources};
use compute_market_client::amounts::Currency;
use compute_market_client::analytics::{ClientStats, MarketStats, MarketTotals, ProviderStats, Utilisation};
use serde_json::{json, Value};

use crate::figures::{merged, money};

fn key(k: &Pubkey) -> Value {
    if *k == Pubkey::default() { Value::Null } else { Value::from(k.to_string()) }
}

fn hex(bytes: &[u8; 32]) -> Value {
    if bytes.iter().all(|b| *b == 0) {
        return Value::Null;
    }
    Value::from(bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

pub fn status_name(status: u8) -> String {
    match JobStatus::from_stored(status) {
        Ok(s) => format!("{s:?}"),
        Err(_) => format!("Unknown({status})"),
    }
}

pub fn resources(r: &Resources) -> Value {
    json!({ "cpu_cores": r.cpu_cores, "ram_gb": r.ram_gb, "storage_gb": r.storage_gb, "gpus": r.gpus })
}

pub fn rates(r: &Rates) -> Value {
    json!({
        "per_core_lamports": r.per_core, "per_gb_ram_lamports": r.per_gb_ram,
        "per_gb_storage_lamports": r.per_gb_storage, "per_gpu_lamports": r.per_gpu,
    })
}

pub fn market(address: &Pubkey, m: &Market) -> Value {
    json!({
        "address": address.to_string(),
        "admin": key(&m.admin),
        "pending_admin": key(&m.pending_admin),
        "treasury": key(&m.treasury),
        "matcher": key(&m.matcher),
        "fee_bps": m.fee_bps,
        "paused": m.is_paused(),
        "windows": {
            "start_window_secs": m.windows.start_window_secs, "review_window_secs": m.windows.review_window_secs,
            "grace_secs": m.windows.grace_secs, "dispute_window_secs": m.windows.dispute_window_secs,
        },
        "bonds": { "cooldown_secs": m.bond_cooldown_secs, "slash_bps": m.slash_bps },
    })
}

/// A provider's bond in `currency`: what it holds, what jobs in flight lock, what is pending withdrawal
/// and when, what is free for new jobs, and what was slashed over its life.
pub fn bond(address: &Pubkey, b: &Bond, currency: &Currency) -> Value {
    let amounts =
        [("held", b.held), ("locked", b.locked), ("pending", b.pending), ("free", b.free()), ("slashed", b.slashed)];
    let record = json!({
        "address": address.to_string(),
        "provider": b.provider.to_string(),
        "mint": key(&b.mint),
        "jobs_locked": b.jobs_locked,
        "withdraw_at": if b.pending == 0 { Value::Null } else { Value::from(b.withdraw_at) },
    });
    merged(record, money(currency, &amounts))
}

fn stats(s: &MarketStats) -> Value {
    json!({
        "providers": s.providers, "clients": s.clients, "jobs_posted": s.jobs_posted,
        "jobs_completed": s.jobs_completed, "jobs_cancelled": s.jobs_cancelled, "jobs_expired": s.jobs_expired,
        "jobs_disputed": s.jobs_disputed, "volume_lamports": s.volume_lamports, "fees_lamports": s.fees_collected,
        "fees_uncollected_lamports": s.fees_uncollected,
    })
}

/// Who besides the provider itself may assign it jobs, in words.
pub fn assignment_policy(assignment: u8) -> &'static str {
    match (assignment & ASSIGN_BY_MATCHER != 0, assignment & ASSIGN_BY_CLIENTS != 0) {
        (true, true) => "matcher and clients",
        (true, false) => "matcher",
        (false, true) => "clients",
        (false, false) => "itself only",
    }
}

pub fn provider(address: &Pubkey, p: &Provider) -> Value {
    json!({
        "address": address.to_string(),
        "authority": p.authority.to_string(),
        "active": p.is_active(),
        "retired": p.retired != 0,
        "assigned_by": assignment_policy(p.assignment),
        "assignment_flags": p.assignment,
        "capacity": resources(&p.capacity),
        "gpus": crate::commands::describe_gpus(p.capacity.gpus, &p.hardware()),
        "gpu_model": p.gpu_model,
        "vram_gb": p.vram_gb,
        "cpu_arch": p.cpu_arch,
        "free": resources(&p.free),
        "rates": rates(&p.rates),
        "reputation": p.reputation,
        "active_jobs": p.active_jobs,
        "jobs_completed": p.jobs_completed,
        "jobs_failed": p.jobs_failed,
        "disputes_lost": p.disputes_lost,
        "counterparties": p.counterparties,
        "delivered_units": p.delivered_units,
        "failed_units": p.failed_units,
        "lost_units": p.lost_units,
        "total_earned_lamports": p.total_earned,
        "earnings_owed_lamports": p.earnings_owed,
        "fees_owed_lamports": p.fees_owed,
        "metadata_uri": p.metadata_uri.to_string_lossy(),
        "registered_at": p.registered_at,
        "last_active_at": p.last_active_at,
    })
}

/// A job, its amounts in `currency` (what it is paid in).
pub fn job(address: &Pubkey, j: &Job, currency: &Currency) -> Value {
    let amounts = [
        ("max_price_per_hour", j.max_price_per_hour),
        ("agreed_price_per_hour", j.agreed_price_per_hour),
        ("escrow", j.escrow),
        ("provider_payout", j.provider_payout),
        ("fee", j.fee),
        ("client_refund", j.client_refund),
        ("min_bond", j.min_bond),
    ];
    let record = json!({
        "address": address.to_string(),
        "job_id": j.job_id,
        "status": status_name(j.status),
        "client": key(&j.client),
        "provider": key(&j.provider),
        "target_provider": key(&j.target_provider),
        "payment_mint": key(&j.payment_mint),
        "requirements": resources(&j.requirements),
        "gpu_needs": crate::commands::describe_needs(&j.gpu),
        "duration_secs": j.duration_secs,
        "fee_bps": j.fee_bps,
        "min_reputation": j.min_reputation,
        "slash_bps": j.slash_bps,
        "rating": if j.rating == 0 { Value::Null } else { Value::from(j.rating) },
        "spec_hash": hex(&j.spec_hash),
        "spec_uri": j.spec_uri.to_string_lossy(),
        "result_hash": hex(&j.result_hash),
        "posted_at": j.posted_at,
        "assigned_at": j.assigned_at,
        "take_back_from": if j.is(JobStatus::Assigned) { Value::from(j.assigned_at + i64::from(TAKE_BACK_AFTER_SECS)) } else { Value::Null },
        "start_deadline": j.start_deadline,
        "run_deadline": j.run_deadline,
        "review_deadline": j.review_deadline,
    });
    merged(record, money(currency, &amounts))
}

fn utilisation(u: &Utilisation) -> Value {
    json!({ "cpu_cores_bps": u.cpu_cores, "ram_gb_bps": u.ram_gb, "storage_gb_bps": u.storage_gb, "gpus_bps": u.gpus })
}

/// A provider's figures, with what its account holds for its wallet and for the treasury.
pub fn provider_stats(authority: &Pubkey, s: &ProviderStats, provider: &Provider) -> Value {
    json!({
        "authority": authority.to_string(),
        "total_earned_lamports": s.total_earned,
        "earnings_owed_lamports": provider.earnings_owed,
        "fees_owed_lamports": provider.fees_owed,
        "counterparties": provider.counterparties,
        "earned_in_listed_jobs_lamports": s.earned_in_listed_jobs,
        "pending_escrow_lamports": s.pending_escrow,
        "jobs_completed": s.jobs_completed,
        "jobs_failed": s.jobs_failed,
        "disputes_lost": s.disputes_lost,
        "completion_rate_bps": s.completion_rate_bps,
        "active_jobs": s.active_jobs,
        "in_use": resources(&s.in_use),
        "utilisation": utilisation(&s.utilisation),
        "reputation": s.reputation,
        "average_rating_x100": s.average_rating_x100,
    })
}

pub fn client_stats(authority: &Pubkey, s: &ClientStats, profile: &ClientProfile) -> Value {
    json!({
        "authority": authority.to_string(),
        "jobs_posted": s.jobs_posted,
        "jobs_completed": s.jobs_completed,
        "jobs_cancelled": s.jobs_cancelled,
        "jobs_expired": s.jobs_expired,
        "jobs_disputed": profile.jobs_disputed,
        "total_spent_lamports": s.total_spent,
        "fees_paid_lamports": profile.fees_paid,
        "total_refunded_lamports": s.total_refunded,
        "in_escrow_lamports": s.in_escrow,
        "history": s.history.iter().map(|(address, j)| json!({
            "address": address.to_string(), "job_id": j.job_id, "status": status_name(j.status),
            "escrow_lamports": j.escrow, "provider_payout_lamports": j.provider_payout, "fee_lamports": j.fee,
        })).collect::<Vec<_>>(),
    })
}

pub fn market_totals(t: &MarketTotals) -> Value {
    let by_status: serde_json::Map<String, Value> =
        t.jobs_by_status.iter().map(|(status, n)| (format!("{status:?}"), Value::from(*n))).collect();
    json!({
        "fee_bps": t.fee_bps,
        "active_providers": t.active_providers,
        "totals": stats(&t.stats),
        "jobs_by_status": by_status,
        "escrow_held_lamports": t.escrow_held,
        "free_capacity": resources(&t.free_capacity),
    })
}
