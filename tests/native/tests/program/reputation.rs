//! Reputation that costs real value from many clients to build and cannot be shed: farming with one
//! client, zero-value work, and closing and re-registering all fail to move it.

use compute_market::constants::REPUTATION_UNIT_LAMPORTS;
use compute_market::state::{Pair, Provider};
use compute_market_tests::builders::{self, Pay};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use solana_signer::Signer;

/// A client and a provider run a job to completion with five stars: `worked_secs` of the standard job.
async fn complete_one(m: &mut TestMarket, client: &solana_keypair::Keypair, provider: &solana_keypair::Keypair, worked_secs: i64) {
    let job = m.post_job_with(client, |_| {}).await;
    let deal = Deal { client: client.insecure_clone(), provider: provider.insecure_clone(), job, pay: Pay::Lamports };
    let deal = m.assign(deal).await;
    let deal = m.start(deal).await;
    let deal = m.submit_after(deal, worked_secs).await;
    let p = deal.parties(m);
    m.send(&[builders::complete_and_pay(&p, Some(5))], &[&deal.client]).await.expect("complete");
}

#[tokio::test]
async fn a_sybil_pair_farming_five_star_jobs_stays_within_a_fifth_of_the_way_up() {
    let mut m = TestMarket::new().await;
    let provider = m.registered_provider().await;
    let accomplice = m.registered_client().await;
    for _ in 0..8 {
        complete_one(&mut m, &accomplice, &provider, i64::from(DURATION_SECS)).await;
    }
    let farmed: Provider = m.account(&pda::provider(&provider.pubkey())).await;
    assert_eq!((farmed.jobs_completed, farmed.counterparties, farmed.rating_count), (8, 1, 8));
    assert_eq!(farmed.delivered_units, 8 * (AGREED_ESCROW / REPUTATION_UNIT_LAMPORTS));
    assert!(farmed.reputation <= 6_000, "one client vouches for a fifth of the gain at most: {}", farmed.reputation);
    let pair: Pair = m.account(&pda::pair(&provider.pubkey(), &accomplice.pubkey())).await;
    assert_eq!((pair.jobs, pair.units), (8, farmed.delivered_units));

    // The same work paid by five distinct clients counts in full.
    let honest = m.registered_provider().await;
    for _ in 0..5 {
        let client = m.registered_client().await;
        complete_one(&mut m, &client, &honest, i64::from(DURATION_SECS)).await;
    }
    let earned: Provider = m.account(&pda::provider(&honest.pubkey())).await;
    assert_eq!(earned.counterparties, 5);
    assert!(earned.reputation > farmed.reputation, "{} against {}", earned.reputation, farmed.reputation);
    assert_eq!(earned.reputation, score_of(&earned));
}

#[tokio::test]
async fn zero_value_completions_are_ignored() {
    let mut m = TestMarket::new().await;
    let provider = m.registered_provider().await;
    let client = m.registered_client().await;
    // Submitted the second it started: nothing paid. Then one minute: under one unit of value.
    for worked in [0, 60] {
        complete_one(&mut m, &client, &provider, worked).await;
    }
    let state: Provider = m.account(&pda::provider(&provider.pubkey())).await;
    assert_eq!((state.jobs_completed, state.rating_count, state.delivered_units, state.counterparties), (0, 0, 0, 0));
    assert_eq!(state.reputation, 5_000);
    assert!(!m.exists(&pda::pair(&provider.pubkey(), &client.pubkey())).await, "no pair record for work of no value");
    // The earnings are real all the same.
    let (to_provider, _, _) = expected_split(60);
    assert_eq!(state.total_earned, to_provider);
}

#[tokio::test]
async fn closing_and_re_registering_does_not_shed_a_failure() {
    let mut m = TestMarket::new().await;
    let deal = m.assigned_deal().await;
    let p = deal.parties(&m);
    m.warp(i64::from(WINDOWS.start_window_secs) + 1).await;
    let keeper = m.funded_keypair().await;
    m.send(&[builders::expire_job(&keeper.pubkey(), &p)], &[&keeper]).await.unwrap();
    let failed: Provider = m.account(&pda::provider(&p.provider)).await;
    assert!(failed.reputation < 5_000);

    m.send(&[builders::close_provider(&p.provider)], &[&deal.provider]).await.unwrap();
    m.send(&[builders::register_provider(&p.provider, provider_args())], &[&deal.provider]).await.unwrap();
    let again: Provider = m.account(&pda::provider(&p.provider)).await;
    assert_eq!((again.reputation, again.jobs_failed, again.failed_units), (failed.reputation, 1, failed.failed_units));
    assert_eq!((again.registered_at, again.is_active()), (failed.registered_at, true), "the same record, reopened");
}
