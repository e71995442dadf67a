//! The REST API (docs/API.md) over indexes filled through `Store::apply` with the program's own events:
//! exact answers for a job's life, filtered and paginated lists, provider, client and market figures,
//! every kind of bad parameter, 404s, the OpenAPI document and the CORS header. Each test runs on SQLite,
//! and on PostgreSQL too when `INDEXER_TEST_POSTGRES_URL` is set.

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use anchor_lang::prelude::Pubkey;
use axum::http::StatusCode;
use common::*;
use compute_market::events::{ExpiryReason, ReleaseReason};
use compute_market::state::JobStatus;
use compute_market_indexer::ingest::Progress;
use serde_json::{json, Value};

const LAMPORT_MINT: &str = "11111111111111111111111111111111";

fn s(key: &Pubkey) -> String {
    key.to_string()
}

/// `[{mint, amount}]` sorted by mint, zero amounts left out (as the API lists them).
fn amounts(list: &[(&Pubkey, u64)]) -> Value {
    let mut list: Vec<(String, u64)> =
        list.iter().filter(|(_, amount)| *amount > 0).map(|(mint, amount)| (mint.to_string(), *amount)).collect();
    list.sort();
    Value::Array(list.into_iter().map(|(mint, amount)| json!({"mint": mint, "amount": amount})).collect())
}

#[tokio::test]
async fn a_jobs_life_from_post_to_close() {
    for db in databases("job_life").await {
        let store = &db.store;
        let api = api(store);
        let (provider, client) = (Pubkey::new_unique(), Pubkey::new_unique());
        let job = JobSpec::new(client, 7);
        let mut chain = Chain::default();
        chain.event(provider_registered(provider, resources(8, 32, 500, 1), T0 + 100));
        chain.event(client_registered(client, T0 + 150));
        chain.apply(store).await;

        let paid = Paid { payout: 700, held: 60, fee: 40, refund: 7_200, surplus: 0, slashed: 0 };
        let steps = [
            (job.posted(T0 + 200), "open"),
            (job.assigned(provider, 800, 2_000, T0 + 300), "assigned"),
            (job.started(provider, T0 + 400), "running"),
            (job.submitted(provider, T0 + 4_000), "submitted"),
            (job.completed(provider, paid, T0 + 4_100), "completed"),
            (job.closed(JobStatus::Completed, T0 + 4_200), "completed"),
        ];
        for (event, status) in steps {
            chain.event(event);
            chain.apply(store).await;
            let answer = get_ok(&api, &format!("/jobs/{}", job.job)).await;
            assert_eq!(answer["status"], status, "{}", db.backend);
        }

        let answer = get_ok(&api, &format!("/jobs/{}", job.job)).await;
        let expected = json!({
            "address": s(&job.job), "client": s(&client), "provider": s(&provider), "job_id": 7,
            "mint": LAMPORT_MINT, "status": "completed", "outcome": "accepted",
            "requirements": {"cpu_cores": 2, "ram_gb": 4, "storage_gb": 10, "gpus": 0},
            "duration_secs": 3_600, "max_price_per_hour": 1_000, "agreed_price_per_hour": 800, "escrow": 0,
            "min_reputation": 1_000, "min_bond": 500, "slash_bps": 2_000, "bond_slashed": 0, "target_provider": null,
            "spec_hash": "ab".repeat(32), "fee_bps": 500,
            // 2,000 returned at assignment, 7,200 at completion: with payout and fee, the 10,000 posted.
            "provider_payout": 760, "fee": 40, "refund": 9_200, "rating": 5,
            "posted_at": T0 + 200, "assigned_at": T0 + 300, "started_at": T0 + 400, "submitted_at": T0 + 4_000,
            "settled_at": T0 + 4_100, "closed": true,
        });
        assert_eq!(answer, expected, "{}", db.backend);

        // The timeline, oldest first, whole and page by page.
        let timeline = get_ok(&api, &format!("/jobs/{}/events", job.job)).await;
        let names: Vec<&str> =
            timeline["items"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            ["JobPosted", "JobAssigned", "JobStarted", "ResultSubmitted", "JobCompleted", "JobClosed"],
            "{}",
            db.backend
        );
        assert_eq!(timeline["next_cursor"], Value::Null);
        let paged = all_pages(&api, &format!("/jobs/{}/events", job.job), 4).await;
        assert_eq!(paged, timeline["items"].as_array().unwrap().clone(), "{}", db.backend);
        let ids: Vec<u64> = paged.iter().map(|e| e["id"].as_u64().unwrap()).collect();
        assert_eq!(ids, [3, 4, 5, 6, 7, 8]);

        assert_eq!(
            timeline["items"][0],
            json!({
                "id": 3, "signature": "sig00000003", "instruction": 0, "slot": 3, "block_time": T0 + 200,
                "name": "JobPosted", "finalized": false,
                "data": {
                    "job": s(&job.job), "client": s(&client), "job_id": 7, "payment_mint": LAMPORT_MINT,
                    "requirements": {"cpu_cores": 2, "ram_gb": 4, "storage_gb": 10, "gpus": 0},
                    "gpu": {"models": [], "min_vram_gb": 0, "family": 0},
                    "duration_secs": 3_600, "max_price_per_hour": 1_000, "escrow": 10_000, "min_reputation": 1_000,
                    "min_bond": 500, "slash_bps": 2_000, "target_provider": null, "spec_hash": "ab".repeat(32), "fee_bps": 500,
                    "windows": {"start_window_secs": 600, "review_window_secs": 3_600, "grace_secs": 300,
                                "dispute_window_secs": 86_400},
                    "timestamp": T0 + 200,
                },
            }),
            "{}",
            db.backend
        );
        store.mark_finalized(4).await.unwrap();
        let timeline = get_ok(&api, &format!("/jobs/{}/events?limit=2", job.job)).await;
        assert_eq!(timeline["items"][1]["finalized"], true);
        assert_eq!(timeline["next_cursor"], "4");
        let next = get_ok(&api, &format!("/jobs/{}/events?limit=2&cursor=4", job.job)).await;
        assert_eq!(next["items"][0]["id"], 5);
        assert_eq!(next["items"][0]["finalized"], false);

        // The provider's record after the job.
        let answer = get_ok(&api, &format!("/providers/{provider}")).await;
        let expected = json!({
            "authority": s(&provider), "account": s(&provider_account(&provider)),
            "capacity": {"cpu_cores": 8, "ram_gb": 32, "storage_gb": 500, "gpus": 1},
            "free": {"cpu_cores": 8, "ram_gb": 32, "storage_gb": 500, "gpus": 1},
            "rates": {"per_core": 100, "per_gb_ram": 10, "per_gb_storage": 1, "per_gpu": 1_000},
            "metadata_uri": "https://example.com/provider.json", "assignment": 3, "active": true, "retired": false,
            "reputation": 5_100, "jobs_assigned": 1, "jobs_completed": 1, "jobs_failed": 0, "lamports_earned": 760,
            "registered_at": T0 + 100, "last_heartbeat_at": T0 + 100,
        });
        assert_eq!(answer, expected, "{}", db.backend);
        db.remove().await;
    }
}

#[tokio::test]
async fn an_extended_job_shows_its_new_duration_and_escrow_and_the_extension_in_its_timeline() {
    for db in databases("job_extended").await {
        let store = &db.store;
        let api = api(store);
        let (provider, client) = (Pubkey::new_unique(), Pubkey::new_unique());
        let job = JobSpec::new(client, 3);
        let mut chain = Chain::default();
        chain.event(provider_registered(provider, resources(8, 32, 500, 1), T0 + 100));
        chain.event(client_registered(client, T0 + 150));
        chain.event(job.posted(T0 + 200));
        chain.event(job.assigned(provider, 800, 2_000, T0 + 300));
        chain.event(job.started(provider, T0 + 400));
        // Half an hour more at 800 an hour: 400 added to the 8,000 the hour kept in escrow.
        chain.event(job.extended(provider, 1_800, 400, 8_400, T0 + 400, T0 + 500));
        chain.apply(store).await;

        let answer = get_ok(&api, &format!("/jobs/{}", job.job)).await;
        assert_eq!((&answer["status"], &answer["duration_secs"], &answer["escrow"]), (&json!("running"), &json!(5_400), &json!(8_400)), "{}", db.backend);
        let timeline = get_ok(&api, &format!("/events?name=JobExtended&job={}", job.job)).await;
        let items = timeline["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{}", db.backend);
        let data = &items[0]["data"];
        assert_eq!((&data["added_secs"], &data["added_escrow"], &data["run_deadline"]), (&json!(1_800), &json!(400), &json!(T0 + 400 + 5_400)), "{}", db.backend);
        db.remove().await;
    }
}

/// Providers P1-P4, clients C1 and C2, a token mint M and twelve jobs in every state.
struct Lists {
    providers: [Pubkey; 4],
    clients: [Pubkey; 2],
    mint: Pubkey,
    /// In posting order.
    jobs: Vec<JobSpec>,
}

async fn fill_lists(store: &compute_market_indexer::store::Store) -> Lists {
    let providers = [Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique()];
    let clients = [Pubkey::new_unique(), Pubkey::new_unique()];
    let [p1, p2, p3, p4] = providers;
    let [c1, c2] = clients;
    let mint = Pubkey::new_unique();
    let mut chain = Chain::default();
    chain.event(provider_registered(p1, resources(8, 32, 500, 1), T0 + 10));
    chain.event(provider_registered(p2, resources(2, 8, 100, 0), T0 + 20));
    chain.event(provider_registered(p3, resources(16, 64, 1_000, 0), T0 + 30));
    chain.event(provider_closed(p3, 4_000, T0 + 40));
    chain.event(provider_registered(p4, resources(4, 16, 200, 0), T0 + 50));
    chain.event(provider_activity(p4, false, T0 + 60));

    let owners = [(c1, false), (c1, true), (c2, false), (c2, true), (c1, false), (c1, true), (c2, false)];
    let mut jobs: Vec<JobSpec> = owners
        .iter()
        .enumerate()
        .map(|(i, (client, token))| {
            let job = JobSpec::new(*client, i as u64);
            if *token {
                job.paid_in(mint)
            } else {
                job
            }
        })
        .collect();
    jobs.extend((0..5).map(|i| JobSpec::new(c1, 100 + i)));
    for (i, job) in jobs.iter().enumerate() {
        chain.event(job.posted(T0 + 100 * (i as i64 + 1)));
    }
    let at = T0 + 2_000;
    let j = &jobs;
    let done = Paid { payout: 800, held: 0, fee: 40, refund: 9_160, surplus: 0, slashed: 0 };
    // j1 completed by P1; j3 assigned to P2; j4 running on P1; j5 cancelled; j6 expired on P2; j7 declined by P1.
    chain.event(j[0].assigned(p1, 800, 0, at));
    chain.event(j[0].started(p1, at + 10));
    chain.event(j[0].submitted(p1, at + 20));
    chain.event(j[0].completed(p1, done, at + 30));
    chain.event(j[2].assigned(p2, 900, 0, at + 40));
    chain.event(j[3].assigned(p1, 900, 0, at + 50));
    chain.event(j[3].started(p1, at + 60));
    chain.event(j[4].cancelled(10_000, at + 70));
    chain.event(j[5].assigned(p2, 900, 0, at + 80));
    // A fifth of its 500 minimum bond slashed to the client.
    chain.event(j[5].expired(p2, ExpiryReason::NotStarted, Paid { refund: 10_000, slashed: 100, ..Paid::default() }, at + 700));
    chain.event(j[6].assigned(p1, 900, 0, at + 800));
    chain.event(j[6].released(p1, ReleaseReason::Declined, at + 810));
    chain.apply(store).await;
    Lists { providers, clients, mint, jobs }
}

#[tokio::test]
async fn jobs_filter_by_client_provider_status_and_mint_across_pages() {
    for db in databases("job_lists").await {
        let api = api(&db.store);
        let lists = fill_lists(&db.store).await;
        let [p1, p2, _, _] = lists.providers;
        let [c1, c2] = lists.clients;
        let addresses = |indices: &[usize]| -> Vec<String> { indices.iter().map(|i| s(&lists.jobs[*i].job)).collect() };
        let cases: Vec<(String, Vec<usize>)> = vec![
            ("/jobs".into(), vec![11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]),
            (format!("/jobs?client={c1}"), vec![11, 10, 9, 8, 7, 5, 4, 1, 0]),
            (format!("/jobs?client={c2}"), vec![6, 3, 2]),
            (format!("/jobs?provider={p1}"), vec![3, 0]),
            (format!("/jobs?provider={p2}"), vec![5, 2]),
            ("/jobs?status=open".into(), vec![11, 10, 9, 8, 7, 6, 1]),
            ("/jobs?status=completed".into(), vec![0]),
            ("/jobs?status=running".into(), vec![3]),
            ("/jobs?status=assigned".into(), vec![2]),
            ("/jobs?status=cancelled".into(), vec![4]),
            ("/jobs?status=expired".into(), vec![5]),
            ("/jobs?status=disputed".into(), vec![]),
            (format!("/jobs?mint={}", lists.mint), vec![5, 3, 1]),
            (format!("/jobs?mint={LAMPORT_MINT}"), vec![11, 10, 9, 8, 7, 6, 4, 2, 0]),
            (format!("/jobs?client={c1}&mint={}", lists.mint), vec![5, 1]),
            (format!("/jobs?client={c2}&status=open&mint={LAMPORT_MINT}"), vec![6]),
        ];
        let expired = get_ok(&api, &format!("/jobs/{}", lists.jobs[5].job)).await;
        assert_eq!((&expired["min_bond"], &expired["slash_bps"], &expired["bond_slashed"]), (&json!(500), &json!(2_000), &json!(100)), "{}", db.backend);
        let completed = get_ok(&api, &format!("/jobs/{}", lists.jobs[0].job)).await;
        assert_eq!(completed["bond_slashed"], 0, "{}", db.backend);
        for (uri, expected) in cases {
            let whole = get_ok(&api, &uri).await;
            assert_eq!(
                field(whole["items"].as_array().unwrap(), "address"),
                addresses(&expected),
                "{} {uri}",
                db.backend
            );
            assert_eq!(whole["next_cursor"], Value::Null);
            for limit in [1, 2, 5] {
                let paged = all_pages(&api, &uri, limit).await;
                assert_eq!(field(&paged, "address"), addresses(&expected), "{} {uri} limit {limit}", db.backend);
            }
        }
        let declined = get_ok(&api, &format!("/jobs/{}", lists.jobs[6].job)).await;
        assert_eq!(
            (&declined["status"], &declined["outcome"], &declined["provider"], &declined["agreed_price_per_hour"]),
            (&json!("open"), &json!("declined"), &Value::Null, &Value::Null)
        );
        let expired = get_ok(&api, &format!("/jobs/{}", lists.jobs[5].job)).await;
        assert_eq!((&expired["status"], &expired["outcome"]), (&json!("expired"), &json!("not_started")));
        db.remove().await;
    }
}

#[tokio::test]
async fn providers_filter_and_paginate_newest_registration_first() {
    for db in databases("provider_lists").await {
        let api = api(&db.store);
        let lists = fill_lists(&db.store).await;
        let [p1, p2, p3, p4] = lists.providers.map(|p| s(&p));
        let cases: Vec<(&str, Vec<&String>)> = vec![
            ("/providers", vec![&p4, &p3, &p2, &p1]),
            ("/providers?active=true", vec![&p2, &p1]),
            ("/providers?active=false", vec![&p4, &p3]),
            ("/providers?retired=true", vec![&p3]),
            ("/providers?retired=false", vec![&p4, &p2, &p1]),
            ("/providers?min_cpu_cores=4", vec![&p4, &p3, &p1]),
            ("/providers?min_ram_gb=20", vec![&p3, &p1]),
            ("/providers?min_gpus=1", vec![&p1]),
            ("/providers?min_reputation=5000", vec![&p4, &p1]),
            ("/providers?min_reputation=10000", vec![]),
            ("/providers?active=true&min_cpu_cores=3", vec![&p1]),
        ];
        for (uri, expected) in cases {
            for limit in [1, 3, 500] {
                let paged = all_pages(&api, uri, limit).await;
                assert_eq!(
                    field(&paged, "authority"),
                    expected.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
                    "{} {uri}",
                    db.backend
                );
            }
        }
        let retired = get_ok(&api, &format!("/providers/{p3}")).await;
        assert_eq!(
            (&retired["active"], &retired["retired"], &retired["reputation"]),
            (&json!(false), &json!(true), &json!(4_000))
        );
        let p2_record = get_ok(&api, &format!("/providers/{p2}")).await;
        assert_eq!(
            (&p2_record["jobs_assigned"], &p2_record["jobs_failed"], &p2_record["reputation"]),
            (&json!(2), &json!(1), &json!(4_800))
        );
        db.remove().await;
    }
}

#[tokio::test]
async fn events_filter_by_name_job_client_and_provider_newest_first() {
    for db in databases("event_lists").await {
        let api = api(&db.store);
        let lists = fill_lists(&db.store).await;
        let [p1, _, _, _] = lists.providers;
        let [_, c2] = lists.clients;
        let everything = all_pages(&api, "/events", 7).await;
        let ids: Vec<u64> = everything.iter().map(|e| e["id"].as_u64().unwrap()).collect();
        let total = ids.len() as u64;
        assert_eq!(ids, (1..=total).rev().collect::<Vec<_>>(), "{}: every event once, newest first", db.backend);
        assert_eq!(total, 6 + 12 + 12);

        let posted = all_pages(&api, "/events?name=JobPosted", 5).await;
        let jobs: Vec<String> = posted.iter().map(|e| e["data"]["job"].as_str().unwrap().to_string()).collect();
        let expected: Vec<String> = lists.jobs.iter().rev().map(|j| s(&j.job)).collect();
        assert_eq!(jobs, expected, "{}", db.backend);

        let names = |items: &[Value]| -> Vec<String> { field(items, "name") };
        let of_p1 = all_pages(&api, &format!("/events?provider={p1}"), 3).await;
        assert_eq!(
            names(&of_p1),
            [
                "JobReleased",
                "JobAssigned",
                "JobStarted",
                "JobAssigned",
                "JobCompleted",
                "ResultSubmitted",
                "JobStarted",
                "JobAssigned",
                "ProviderRegistered"
            ],
            "{}",
            db.backend
        );
        let of_c2 = all_pages(&api, &format!("/events?client={c2}"), 2).await;
        assert_eq!(
            names(&of_c2),
            [
                "JobReleased",
                "JobAssigned",
                "JobStarted",
                "JobAssigned",
                "JobAssigned",
                "JobPosted",
                "JobPosted",
                "JobPosted"
            ],
            "{}",
            db.backend
        );
        let of_job = all_pages(&api, &format!("/events?job={}", lists.jobs[0].job), 2).await;
        assert_eq!(names(&of_job), ["JobCompleted", "ResultSubmitted", "JobStarted", "JobAssigned", "JobPosted"]);
        let combined = get_ok(&api, &format!("/events?name=JobAssigned&provider={p1}")).await;
        assert_eq!(combined["items"].as_array().unwrap().len(), 3);
        let none = get_ok(&api, "/events?name=FeesCollected").await;
        assert_eq!(none, json!({"items": [], "next_cursor": null}));
        db.remove().await;
    }
}

/// A provider with 4 cores, heartbeats in hours 0, 1 and 3, and five jobs settled in every way.
#[tokio::test]
async fn provider_stats_count_earnings_completion_utilisation_and_uptime() {
    for db in databases("provider_stats").await {
        let api = api(&db.store);
        let (provider, client, mint) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let capacity = resources(4, 16, 100, 0);
        let h = |hour: i64, secs: i64| T0 + hour * HOUR + secs;
        let (a, b, c, d, e) = (
            JobSpec::new(client, 1),
            JobSpec::new(client, 2).paid_in(mint),
            JobSpec::new(client, 3),
            JobSpec::new(client, 4),
            JobSpec::new(client, 5),
        );
        let mut chain = Chain::default();
        chain.event(provider_registered(provider, capacity, h(0, 10)));
        chain.event(provider_updated(provider, capacity, h(1, 5)));
        chain.event(provider_updated(provider, capacity, h(1, 305)));
        chain.event(provider_updated(provider, capacity, h(3, 5)));
        for (i, job) in [&a, &b, &c, &d, &e].iter().enumerate() {
            chain.event(job.posted(h(0, 100 + i as i64)));
            chain.event(job.assigned(provider, 900, 0, h(0, 200 + i as i64)));
        }
        // d: ran 600 s in hour 0, lost its dispute in hour 1 (a failure) but earned 300.
        chain.event(d.started(provider, h(0, 1_000)));
        chain.event(d.submitted(provider, h(0, 1_600)));
        chain.event(d.disputed(provider, h(1, 100)));
        chain.event(d.resolved(
            provider,
            3_000,
            Paid { payout: 300, fee: 15, refund: 9_685, ..Paid::default() },
            h(1, 200),
        ));
        // e: ran 2,000 s in hour 0; its dispute went unruled (neither completed nor failed), 500 earned in hour 1.
        chain.event(e.started(provider, h(0, 380)));
        chain.event(e.submitted(provider, h(0, 2_380)));
        chain.event(e.disputed(provider, h(0, 2_400)));
        let split = Paid { payout: 500, fee: 25, refund: 9_475, ..Paid::default() };
        chain.event(e.expired(provider, ExpiryReason::DisputeUnresolved, split, h(1, 300)));
        // a: ran 1,800 s ending in hour 2, completed there: 900 paid and 100 held.
        chain.event(a.started(provider, h(2, 0)));
        chain.event(a.submitted(provider, h(2, 1_800)));
        chain.event(a.completed(
            provider,
            Paid { payout: 900, held: 100, fee: 50, refund: 8_950, surplus: 0, slashed: 0 },
            h(2, 1_900),
        ));
        // b: ran 3,600 s ending in hour 3, paid 5,000 tokens.
        chain.event(b.started(provider, h(2, 100)));
        chain.event(b.submitted(provider, h(3, 100)));
        chain.event(b.completed(
            provider,
            Paid { payout: 5_000, fee: 250, refund: 4_750, ..Paid::default() },
            h(3, 200),
        ));
        // c: never started (a failure).
        chain.event(c.expired(
            provider,
            ExpiryReason::NotStarted,
            Paid { refund: 10_000, ..Paid::default() },
            h(3, 500),
        ));
        chain.apply(&db.store).await;

        let lamports = Pubkey::default();
        let stats = get_ok(&api, &format!("/stats/providers/{provider}?bucket=hour&from={T0}&to={}", h(4, 0))).await;
        let point = |hour: i64,
                     completed: u64,
                     failed: u64,
                     rate: Value,
                     earnings: Value,
                     busy: u64,
                     utilisation: u64,
                     heartbeats: u64| {
            json!({
                "bucket_start": h(hour, 0), "jobs_completed": completed, "jobs_failed": failed,
                "completion_rate_bps": rate, "earnings": earnings, "busy_core_secs": busy,
                "utilisation_bps": utilisation, "heartbeats": heartbeats, "up": heartbeats > 0,
            })
        };
        let expected_series = json!([
            point(0, 0, 0, Value::Null, json!([]), 5_200, 3_611, 1),
            point(1, 0, 1, json!(0), amounts(&[(&lamports, 800)]), 0, 0, 2),
            point(2, 1, 0, json!(10_000), amounts(&[(&lamports, 1_000)]), 3_600, 2_500, 0),
            point(3, 1, 1, json!(5_000), amounts(&[(&mint, 5_000)]), 7_200, 5_000, 1),
        ]);
        assert_eq!(stats["series"], expected_series, "{}", db.backend);
        assert_eq!(
            stats["totals"],
            json!({
                "jobs_completed": 2, "jobs_failed": 2, "completion_rate_bps": 5_000,
                "earnings": amounts(&[(&lamports, 1_800), (&mint, 5_000)]), "busy_core_secs": 16_000,
                "utilisation_bps": 2_777, "uptime_bps": 7_500,
            }),
            "{}",
            db.backend
        );
        assert_eq!((&stats["bucket"], &stats["from"], &stats["to"]), (&json!("hour"), &json!(T0), &json!(h(4, 0))));
        assert_eq!(stats["provider"]["authority"], s(&provider));
        assert_eq!((&stats["provider"]["jobs_completed"], &stats["provider"]["jobs_failed"]), (&json!(2), &json!(2)));

        // The same as one day: sums of the hours; uptime over the day's 24 hours.
        let day =
            get_ok(&api, &format!("/stats/providers/{provider}?bucket=day&from={}&to={}", T0 + 5, h(20, 0))).await;
        assert_eq!((&day["from"], &day["to"]), (&json!(T0), &json!(T0 + DAY)));
        assert_eq!(
            day["series"],
            json!([{
                "bucket_start": T0, "jobs_completed": 2, "jobs_failed": 2, "completion_rate_bps": 5_000,
                "earnings": amounts(&[(&lamports, 1_800), (&mint, 5_000)]), "busy_core_secs": 16_000,
                "utilisation_bps": 462, "heartbeats": 4, "up": true,
            }]),
            "{}",
            db.backend
        );
        assert_eq!(day["totals"]["uptime_bps"], 1_250);
        assert_eq!(day["totals"]["utilisation_bps"], 462);

        // Empty buckets are listed; uptime only counts hours since registration.
        let late = Pubkey::new_unique();
        chain.event(provider_registered(late, resources(0, 0, 0, 2), h(2, 10)));
        chain.apply(&db.store).await;
        let stats = get_ok(&api, &format!("/stats/providers/{late}?bucket=hour&from={T0}&to={}", h(4, 0))).await;
        let ups: Vec<bool> = stats["series"].as_array().unwrap().iter().map(|p| p["up"].as_bool().unwrap()).collect();
        assert_eq!(ups, [false, false, true, false]);
        assert_eq!(
            stats["totals"],
            json!({
                "jobs_completed": 0, "jobs_failed": 0, "completion_rate_bps": null, "earnings": [],
                "busy_core_secs": 0, "utilisation_bps": null, "uptime_bps": 5_000,
            }),
            "{}: no cores, no utilisation",
            db.backend
        );
        assert_eq!(stats["series"][0]["utilisation_bps"], Value::Null);
        let before = get_ok(&api, &format!("/stats/providers/{late}?bucket=hour&from={T0}&to={}", h(1, 0))).await;
        assert_eq!(before["totals"]["uptime_bps"], 0, "no hour of the range since registration");
        db.remove().await;
    }
}

/// Two clients over two days: lamport and token jobs completed, cancelled, ruled and expired.
struct Market {
    clients: [Pubkey; 2],
    mint: Pubkey,
}

async fn fill_market(store: &compute_market_indexer::store::Store) -> Market {
    let (provider, c1, c2, mint) =
        (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
    let h = |hour: i64, secs: i64| T0 + hour * HOUR + secs;
    let (j1, j2, j3, j4, j5) = (
        JobSpec::new(c1, 1),
        JobSpec::new(c1, 2).paid_in(mint),
        JobSpec::new(c2, 3).paid_in(mint),
        JobSpec::new(c2, 4),
        JobSpec::new(c1, 5),
    );
    let mut chain = Chain::default();
    chain.event(provider_registered(provider, resources(8, 32, 500, 0), T0 + 10));
    chain.event(j1.posted(h(0, 100)));
    chain.event(j1.assigned(provider, 800, 2_000, h(0, 200)));
    chain.event(j1.started(provider, h(0, 300)));
    chain.event(j1.submitted(provider, h(1, 300)));
    chain.event(j1.completed(provider, Paid { payout: 700, held: 60, fee: 40, refund: 7_200, surplus: 0, slashed: 0 }, h(1, 400)));
    chain.event(j2.posted(h(1, 500)));
    chain.event(j2.cancelled(10_000, h(2, 10)));
    chain.event(j3.posted(h(2, 100)));
    chain.event(j3.assigned(provider, 1_000, 0, h(2, 200)));
    chain.event(j3.started(provider, h(2, 300)));
    chain.event(j3.submitted(provider, h(2, 400)));
    chain.event(j3.disputed(provider, h(2, 500)));
    chain.event(j3.resolved(
        provider,
        6_000,
        Paid { payout: 5_400, fee: 300, refund: 4_300, ..Paid::default() },
        h(3, 10),
    ));
    chain.event(j4.posted(h(24, 100)));
    chain.event(j4.assigned(provider, 900, 1_000, h(24, 200)));
    chain.event(j4.expired(provider, ExpiryReason::NotStarted, Paid { refund: 9_000, ..Paid::default() }, h(25, 10)));
    chain.event(j5.posted(h(24, 300)));
    chain.apply(store).await;
    Market { clients: [c1, c2], mint }
}

/// A market point: [posted, assigned, completed, failed, cancelled, disputed, volume, fees, refunds].
fn market_figures(mint: &str, n: [u64; 9]) -> Value {
    json!({
        "mint": mint, "jobs_posted": n[0], "jobs_assigned": n[1], "jobs_completed": n[2], "jobs_failed": n[3],
        "jobs_cancelled": n[4], "jobs_disputed": n[5], "volume": n[6], "fees": n[7], "refunds": n[8],
    })
}

fn market_point(bucket_start: i64, mint: &str, n: [u64; 9]) -> Value {
    let mut point = market_figures(mint, n);
    point["bucket_start"] = json!(bucket_start);
    point
}

/// Points sorted as the API sorts them: by bucket, then mint.
fn sorted(mut points: Vec<Value>) -> Value {
    points.sort_by_key(|p| (p["bucket_start"].as_i64(), p["mint"].as_str().map(str::to_string)));
    Value::Array(points)
}

#[tokio::test]
async fn market_stats_sum_hours_and_days_per_currency() {
    for db in databases("market_stats").await {
        let api = api(&db.store);
        let market = fill_market(&db.store).await;
        let (l, m) = (LAMPORT_MINT, market.mint.to_string());
        let h = |hour: i64| T0 + hour * HOUR;

        let hourly = get_ok(&api, &format!("/stats/market?bucket=hour&from={T0}&to={}", h(26))).await;
        let expected = sorted(vec![
            market_point(h(0), l, [1, 1, 0, 0, 0, 0, 0, 0, 2_000]),
            market_point(h(1), l, [0, 0, 1, 0, 0, 0, 800, 40, 7_200]),
            market_point(h(1), &m, [1, 0, 0, 0, 0, 0, 0, 0, 0]),
            market_point(h(2), &m, [1, 1, 0, 0, 1, 1, 0, 0, 10_000]),
            market_point(h(3), &m, [0, 0, 0, 0, 0, 0, 5_700, 300, 4_300]),
            market_point(h(24), l, [2, 1, 0, 0, 0, 0, 0, 0, 1_000]),
            market_point(h(25), l, [0, 0, 0, 1, 0, 0, 0, 0, 9_000]),
        ]);
        assert_eq!(hourly["series"], expected, "{}", db.backend);
        let totals = sorted(vec![
            market_figures(l, [3, 2, 1, 1, 0, 0, 800, 40, 19_200]),
            market_figures(&m, [2, 1, 0, 0, 1, 1, 5_700, 300, 14_300]),
        ]);
        assert_eq!(hourly["totals"], totals, "{}", db.backend);
        assert_eq!(hourly["providers"], json!({"registered": 1, "active": 1}));
        assert_eq!(hourly["clients"], 2);

        // Days (the default bucket) are the sums of their hours; the range widens to whole days.
        let daily = get_ok(&api, &format!("/stats/market?from={}&to={}", T0 + 100, h(24) + 5)).await;
        assert_eq!((&daily["bucket"], &daily["from"], &daily["to"]), (&json!("day"), &json!(T0), &json!(T0 + 2 * DAY)));
        let expected = sorted(vec![
            market_point(T0, l, [1, 1, 1, 0, 0, 0, 800, 40, 9_200]),
            market_point(T0, &m, [2, 1, 0, 0, 1, 1, 5_700, 300, 14_300]),
            market_point(T0 + DAY, l, [2, 1, 0, 1, 0, 0, 0, 0, 10_000]),
        ]);
        assert_eq!(daily["series"], expected, "{}", db.backend);
        assert_eq!(daily["totals"], totals, "{}", db.backend);

        let token = get_ok(&api, &format!("/stats/market?from={T0}&to={}&mint={m}", T0 + 2 * DAY)).await;
        assert_eq!(token["series"], json!([market_point(T0, &m, [2, 1, 0, 0, 1, 1, 5_700, 300, 14_300])]));
        assert_eq!(token["totals"], json!([market_figures(&m, [2, 1, 0, 0, 1, 1, 5_700, 300, 14_300])]));

        let second_day = get_ok(&api, &format!("/stats/market?bucket=hour&from={}&to={}", h(24), h(25))).await;
        assert_eq!(second_day["series"], json!([market_point(h(24), l, [2, 1, 0, 0, 0, 0, 0, 0, 1_000])]));

        let quiet = get_ok(&api, &format!("/stats/market?from={}&to={}", T0 + 10 * DAY, T0 + 11 * DAY)).await;
        assert_eq!((&quiet["series"], &quiet["totals"]), (&json!([]), &json!([])));
        db.remove().await;
    }
}

#[tokio::test]
async fn client_stats_list_every_bucket_with_amounts_per_currency() {
    for db in databases("client_stats").await {
        let api = api(&db.store);
        let market = fill_market(&db.store).await;
        let [c1, c2] = market.clients;
        let (lamports, mint) = (Pubkey::default(), market.mint);
        let point = |start: i64, posted: u64, completed: u64, spent: Value, fees: Value, refunded: Value| {
            json!({"bucket_start": start, "jobs_posted": posted, "jobs_completed": completed, "spent": spent,
                   "fees": fees, "refunded": refunded})
        };

        let daily = get_ok(&api, &format!("/stats/clients/{c1}?from={T0}&to={}", T0 + 2 * DAY)).await;
        let expected = json!({
            "client": {
                "authority": s(&c1), "profile": s(&client_profile(&c1)), "jobs_posted": 3, "jobs_completed": 1,
                "jobs_cancelled": 1, "jobs_expired": 0, "jobs_disputed": 0, "lamports_spent": 800,
                "registered_at": T0 + 100,
            },
            "bucket": "day", "from": T0, "to": T0 + 2 * DAY,
            "totals": {
                "jobs_posted": 3, "jobs_completed": 1, "spent": amounts(&[(&lamports, 800)]),
                "fees": amounts(&[(&lamports, 40)]), "refunded": amounts(&[(&lamports, 9_200), (&mint, 10_000)]),
            },
            "series": [
                point(T0, 2, 1, amounts(&[(&lamports, 800)]), amounts(&[(&lamports, 40)]),
                      amounts(&[(&lamports, 9_200), (&mint, 10_000)])),
                point(T0 + DAY, 1, 0, json!([]), json!([]), json!([])),
            ],
        });
        assert_eq!(daily, expected, "{}", db.backend);

        let hourly = get_ok(&api, &format!("/stats/clients/{c1}?bucket=hour&from={T0}&to={}", T0 + 4 * HOUR)).await;
        assert_eq!(
            hourly["series"],
            json!([
                point(T0, 1, 0, json!([]), json!([]), amounts(&[(&lamports, 2_000)])),
                point(
                    T0 + HOUR,
                    1,
                    1,
                    amounts(&[(&lamports, 800)]),
                    amounts(&[(&lamports, 40)]),
                    amounts(&[(&lamports, 7_200)])
                ),
                point(T0 + 2 * HOUR, 0, 0, json!([]), json!([]), amounts(&[(&mint, 10_000)])),
                point(T0 + 3 * HOUR, 0, 0, json!([]), json!([]), json!([])),
            ]),
            "{}",
            db.backend
        );

        let other = get_ok(&api, &format!("/stats/clients/{c2}?from={T0}&to={}", T0 + 2 * DAY)).await;
        assert_eq!(
            other["client"],
            json!({
                "authority": s(&c2), "profile": s(&client_profile(&c2)), "jobs_posted": 2, "jobs_completed": 0,
                "jobs_cancelled": 0, "jobs_expired": 1, "jobs_disputed": 1, "lamports_spent": 0,
                "registered_at": T0 + 2 * HOUR + 100,
            })
        );
        assert_eq!(
            other["series"],
            json!([
                point(T0, 1, 0, amounts(&[(&mint, 5_700)]), amounts(&[(&mint, 300)]), amounts(&[(&mint, 4_300)])),
                point(T0 + DAY, 1, 0, json!([]), json!([]), amounts(&[(&lamports, 10_000)])),
            ]),
            "{}",
            db.backend
        );
        db.remove().await;
    }
}

/// Asserts a 400 naming `parameter`.
async fn assert_bad(api: &axum::Router, uri: &str, parameter: &str) -> String {
    let answer = request(api, "GET", uri).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}: {}", answer.json);
    assert_eq!(answer.json["parameter"], parameter, "{uri}: {}", answer.json);
    let error = answer.json["error"].as_str().expect("an error message").to_string();
    assert!(error.starts_with(&format!("{parameter}: ")), "{uri}: {error}");
    assert_eq!(answer.json.as_object().unwrap().len(), 2, "{uri}: only error and parameter");
    error
}

#[tokio::test]
async fn an_unknown_or_repeated_query_parameter_is_a_400() {
    let db = sqlite("bad_unknown").await;
    let api = api(&db.store);
    let key = Pubkey::new_unique();
    assert_bad(&api, "/jobs?foo=1", "foo").await;
    assert_bad(&api, "/health?verbose=true", "verbose").await;
    assert_bad(&api, &format!("/jobs/{key}?limit=5"), "limit").await;
    assert_bad(&api, "/providers?status=open", "status").await;
    assert_bad(&api, "/stats/market?name=JobPosted", "name").await;
    assert_bad(&api, &format!("/stats/providers/{key}?mint={key}"), "mint").await;
    assert_bad(&api, "/openapi.json?x=1", "x").await;
    let error = assert_bad(&api, "/jobs?limit=1&limit=2", "limit").await;
    assert_eq!(error, "limit: given more than once");
    assert_bad(&api, &format!("/jobs?q={}", "x".repeat(3_000)), "query").await;
    db.remove().await;
}

#[tokio::test]
async fn a_malformed_address_is_a_400() {
    let db = sqlite("bad_address").await;
    let api = api(&db.store);
    let error = assert_bad(&api, "/jobs?client=not-base58", "client").await;
    assert_eq!(error, "client: \"not-base58\" is not a base58 address");
    assert_bad(&api, "/jobs?provider=0OIl", "provider").await;
    assert_bad(&api, "/jobs?mint=1111", "mint").await;
    assert_bad(&api, &format!("/events?job={}", "1".repeat(45)), "job").await;
    assert_bad(&api, "/events?client=", "client").await;
    assert_bad(&api, "/events?provider=abc", "provider").await;
    assert_bad(&api, "/stats/market?mint=zz", "mint").await;
    assert_bad(&api, "/providers/nope", "authority").await;
    assert_bad(&api, &format!("/providers/{}", "A".repeat(300)), "authority").await;
    assert_bad(&api, "/jobs/123", "address").await;
    assert_bad(&api, "/jobs/123/events", "address").await;
    assert_bad(&api, "/stats/providers/%20", "authority").await;
    assert_bad(&api, "/stats/clients/%FF%FE", "authority").await;
    db.remove().await;
}

#[tokio::test]
async fn a_limit_outside_1_to_500_is_a_400() {
    let db = sqlite("bad_limit").await;
    let api = api(&db.store);
    for limit in ["0", "501", "-1", "abc", "", "1.5", "99999999999999999999999"] {
        let error = assert_bad(&api, &format!("/jobs?limit={limit}"), "limit").await;
        assert!(error.ends_with("is not an integer from 1 to 500"), "{error}");
    }
    assert_bad(&api, "/providers?limit=1000", "limit").await;
    assert_bad(&api, "/events?limit=0", "limit").await;
    let key = Pubkey::new_unique();
    assert_bad(&api, &format!("/jobs/{key}/events?limit=501"), "limit").await;
    assert_eq!(get_ok(&api, "/jobs?limit=500").await, json!({"items": [], "next_cursor": null}));
    assert_eq!(get_ok(&api, "/jobs?limit=1").await, json!({"items": [], "next_cursor": null}));
    db.remove().await;
}

#[tokio::test]
async fn a_cursor_this_api_did_not_give_is_a_400() {
    let db = sqlite("bad_cursor").await;
    let api = api(&db.store);
    for cursor in ["abc", "-5", "", "1e3", &"9".repeat(41), "99999999999999999999"] {
        let error = assert_bad(&api, &format!("/events?cursor={cursor}"), "cursor").await;
        assert_eq!(error, "cursor: not a cursor this API gave (use next_cursor)");
    }
    assert_bad(&api, "/providers?cursor=x", "cursor").await;
    db.remove().await;
}

#[tokio::test]
async fn a_bucket_other_than_hour_or_day_is_a_400() {
    let db = sqlite("bad_bucket").await;
    let api = api(&db.store);
    let error = assert_bad(&api, "/stats/market?bucket=week", "bucket").await;
    assert_eq!(error, "bucket: \"week\" is not one of hour, day");
    assert_bad(&api, "/stats/market?bucket=HOUR", "bucket").await;
    let key = Pubkey::new_unique();
    assert_bad(&api, &format!("/stats/clients/{key}?bucket="), "bucket").await;
    db.remove().await;
}

#[tokio::test]
async fn from_not_before_to_or_not_a_time_is_a_400() {
    let db = sqlite("bad_range").await;
    let api = api(&db.store);
    let error = assert_bad(&api, &format!("/stats/market?from={}&to={T0}", T0 + 10), "from").await;
    assert_eq!(error, format!("from: {} is not before to ({T0})", T0 + 10));
    assert_bad(&api, &format!("/stats/market?from={T0}&to={T0}"), "from").await;
    assert_bad(&api, "/stats/market?from=yesterday", "from").await;
    assert_bad(&api, "/stats/market?from=-1", "from").await;
    assert_bad(&api, "/stats/market?to=253402300800", "to").await;
    assert_bad(&api, "/stats/market?to=", "to").await;
    // `from` alone runs to now: a future `from` is after it.
    assert_bad(&api, "/stats/market?from=253402300000", "from").await;
    db.remove().await;
}

#[tokio::test]
async fn a_range_over_the_bucket_caps_is_a_400() {
    let db = sqlite("bad_caps").await;
    let api = api(&db.store);
    let ok = get_ok(&api, &format!("/stats/market?bucket=hour&from={T0}&to={}", T0 + 2_208 * HOUR)).await;
    assert_eq!(ok["to"], T0 + 2_208 * HOUR);
    let error =
        assert_bad(&api, &format!("/stats/market?bucket=hour&from={T0}&to={}", T0 + 2_208 * HOUR + 1), "from").await;
    assert_eq!(error, "from: the range holds 2209 hour buckets, more than 2208; narrow from and to");
    get_ok(&api, &format!("/stats/market?bucket=day&from={T0}&to={}", T0 + 3_660 * DAY)).await;
    assert_bad(&api, &format!("/stats/market?bucket=day&from={T0}&to={}", T0 + 3_661 * DAY), "from").await;
    // The default range is 30 days: too long for hours only when explicitly widened.
    get_ok(&api, "/stats/market?bucket=hour").await;
    assert_bad(&api, "/stats/market?bucket=hour&from=0", "from").await;
    db.remove().await;
}

#[tokio::test]
async fn a_status_or_event_name_not_in_the_list_is_a_400() {
    let db = sqlite("bad_words").await;
    let api = api(&db.store);
    let error = assert_bad(&api, "/jobs?status=done", "status").await;
    assert!(
        error.contains("open, assigned, running, submitted, disputed, completed, expired, resolved, cancelled"),
        "{error}"
    );
    assert_bad(&api, "/jobs?status=Open", "status").await;
    assert_bad(&api, "/events?name=JobFoo", "name").await;
    assert_bad(&api, "/events?name=jobposted", "name").await;
    for status in
        ["open", "assigned", "running", "submitted", "disputed", "completed", "expired", "resolved", "cancelled"]
    {
        get_ok(&api, &format!("/jobs?status={status}")).await;
    }
    db.remove().await;
}

#[tokio::test]
async fn a_bool_other_than_true_or_false_and_numbers_out_of_range_are_400s() {
    let db = sqlite("bad_bools").await;
    let api = api(&db.store);
    let error = assert_bad(&api, "/providers?active=yes", "active").await;
    assert_eq!(error, "active: \"yes\" is neither true nor false");
    assert_bad(&api, "/providers?retired=1", "retired").await;
    assert_bad(&api, "/providers?active=TRUE", "active").await;
    assert_bad(&api, "/providers?min_reputation=10001", "min_reputation").await;
    assert_bad(&api, "/providers?min_cpu_cores=-1", "min_cpu_cores").await;
    assert_bad(&api, "/providers?min_ram_gb=4294967296", "min_ram_gb").await;
    assert_bad(&api, "/providers?min_gpus=x", "min_gpus").await;
    get_ok(&api, "/providers?active=true&retired=false&min_reputation=10000&min_cpu_cores=0").await;
    db.remove().await;
}

#[tokio::test]
async fn unknown_addresses_and_paths_are_404s_and_only_get_is_served() {
    for db in databases("not_found").await {
        let api = api(&db.store);
        let lists = fill_lists(&db.store).await;
        let nobody = Pubkey::new_unique();
        for uri in [
            format!("/providers/{nobody}"),
            format!("/jobs/{nobody}"),
            format!("/jobs/{nobody}/events"),
            format!("/stats/providers/{nobody}"),
            format!("/stats/clients/{nobody}"),
            format!("/stats/clients/{}", lists.providers[0]),
            format!("/stats/providers/{}", lists.clients[0]),
            "/nope".to_string(),
            "/jobs/".to_string(),
            format!("/jobs/{}/extra", lists.jobs[0].job),
            "/".to_string(),
        ] {
            let answer = request(&api, "GET", &uri).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{} {uri}: {}", db.backend, answer.json);
            let body = answer.json.as_object().expect("a JSON object");
            assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{uri}");
            assert_eq!(body.len(), 1, "{uri}: only error");
        }
        // A job's timeline past its last event is an empty page, not a 404.
        let past = get_ok(&api, &format!("/jobs/{}/events?cursor=100000", lists.jobs[0].job)).await;
        assert_eq!(past, json!({"items": [], "next_cursor": null}));
        // Filters that match nothing are empty pages.
        assert_eq!(get_ok(&api, &format!("/jobs?client={nobody}")).await, json!({"items": [], "next_cursor": null}));
        for method in ["POST", "PUT", "DELETE"] {
            let answer = request(&api, method, "/jobs").await;
            assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
            assert_eq!(answer.json, json!({"error": "only GET is served"}));
        }
        db.remove().await;
    }
}

#[tokio::test]
async fn every_answer_allows_any_origin() {
    let db = sqlite("cors").await;
    let api = api(&db.store);
    let key = Pubkey::new_unique();
    for (method, uri, status) in [
        ("GET", "/health".to_string(), StatusCode::OK),
        ("GET", "/jobs".to_string(), StatusCode::OK),
        ("GET", "/openapi.json".to_string(), StatusCode::OK),
        ("GET", "/jobs?limit=0".to_string(), StatusCode::BAD_REQUEST),
        ("GET", format!("/jobs/{key}"), StatusCode::NOT_FOUND),
        ("GET", "/nowhere".to_string(), StatusCode::NOT_FOUND),
        ("POST", "/jobs".to_string(), StatusCode::METHOD_NOT_ALLOWED),
    ] {
        let answer = request(&api, method, &uri).await;
        assert_eq!(answer.status, status, "{method} {uri}");
        assert_eq!(
            answer.headers.get("access-control-allow-origin").map(|v| v.as_bytes()),
            Some(&b"*"[..]),
            "{method} {uri}"
        );
        assert_eq!(
            answer.headers.get("content-type").map(|v| v.as_bytes()),
            Some(&b"application/json"[..]),
            "{method} {uri}"
        );
    }
    db.remove().await;
}

#[tokio::test]
async fn the_openapi_document_lists_every_path_and_shape() {
    let db = sqlite("openapi").await;
    let api = api(&db.store);
    let document = get_ok(&api, "/openapi.json").await;
    assert!(document["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", document["openapi"]);
    let paths: BTreeSet<&str> = document["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "/health",
        "/providers",
        "/providers/{authority}",
        "/jobs",
        "/jobs/{address}",
        "/jobs/{address}/events",
        "/events",
        "/stats/market",
        "/stats/providers/{authority}",
        "/stats/clients/{authority}",
    ]
    .into_iter()
    .collect();
    assert_eq!(paths, expected);
    for (path, item) in document["paths"].as_object().unwrap() {
        let get = item["get"].as_object().unwrap_or_else(|| panic!("{path} has a GET"));
        assert!(get["responses"]["200"].is_object(), "{path}");
        assert!(get["responses"]["400"].is_object(), "{path}");
    }
    let schemas = document["components"]["schemas"].as_object().unwrap();
    for shape in
        ["Health", "Provider", "Job", "Event", "MarketStats", "ProviderStats", "ClientStats", "ErrorBody", "MintAmount"]
    {
        assert!(schemas.contains_key(shape), "{shape}");
    }
    let job_fields: BTreeSet<&str> =
        schemas["Job"]["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(job_fields.len(), 29);
    assert!(["min_bond", "slash_bps", "bond_slashed"].iter().all(|field| job_fields.contains(field)), "{job_fields:?}");
    let jobs_parameters: Vec<&str> = document["paths"]["/jobs"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(jobs_parameters, ["client", "provider", "status", "mint", "limit", "cursor"]);
    db.remove().await;
}

#[tokio::test]
async fn health_reports_progress_and_counts() {
    for db in databases("health").await {
        let lists_db = &db.store;
        fill_lists(lists_db).await;
        // A failed transaction counts as a transaction, its events do not.
        let mut chain = Chain::default();
        chain.push(T0 + 5_000, vec![provider_registered(Pubkey::new_unique(), resources(1, 1, 1, 0), T0 + 5_000)]);
        chain.transactions[0].signature = "failed".into();
        chain.transactions[0].failed = true;
        chain.apply(lists_db).await;

        let progress = Arc::new(Mutex::new(Progress::default()));
        let api = api_with(lists_db, progress.clone());
        let program = compute_market::ID.to_string();
        let answer = get_ok(&api, "/health").await;
        assert_eq!(
            answer,
            json!({
                "status": "catching_up", "program": program, "node_slot": 0, "indexed_slot": 0, "finalized_slot": 0,
                "lag_slots": 0, "caught_up_at": null, "seconds_since_caught_up": null, "transactions": 31,
                "events": 30, "last_error": null,
            }),
            "{}",
            db.backend
        );

        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        {
            let mut progress = progress.lock().unwrap();
            progress.node_slot = 500;
            progress.indexed_slot = 31;
            progress.finalized_slot = 470;
            progress.caught_up_at = Some(now);
            progress.transactions_applied = 4;
        }
        let answer = get_ok(&api, "/health").await;
        assert_eq!(answer["status"], "ok");
        assert_eq!(answer["lag_slots"], 469);
        assert_eq!(answer["transactions"], 35, "the count plus what ingest applied since");
        assert!(answer["seconds_since_caught_up"].as_i64().is_some_and(|s| (0..5).contains(&s)));

        progress.lock().unwrap().caught_up_at = Some(now - 120);
        assert_eq!(get_ok(&api, "/health").await["status"], "catching_up");
        progress.lock().unwrap().last_error = Some("node: connection refused".into());
        let answer = get_ok(&api, "/health").await;
        assert_eq!((&answer["status"], &answer["last_error"]), (&json!("error"), &json!("node: connection refused")));
        db.remove().await;
    }
}
