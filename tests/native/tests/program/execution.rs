//! start_job and submit_result.

use compute_market::error::MarketError;
use compute_market::state::{Job, JobStatus, Provider};
use compute_market_tests::builders;
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use solana_signer::Signer;

#[tokio::test]
async fn start_job_sets_the_run_deadlines() {
    let mut m = TestMarket::new().await;
    let deal = m.assigned_deal().await;
    m.warp(i64::from(WINDOWS.start_window_secs)).await;
    let now = m.now().await;
    let balances = m.balances(&[deal.client.pubkey(), deal.provider.pubkey(), pda::vault(&deal.job)]).await;
    m.send(&[builders::start_job(&deal.provider.pubkey(), &deal.job)], &[&deal.provider]).await.unwrap();

    let job: Job = m.account(&deal.job).await;
    assert_eq!((job.status().unwrap(), job.started_at), (JobStatus::Running, now));
    assert_eq!(job.run_deadline, now + i64::from(DURATION_SECS));
    assert_eq!(job.grace_deadline, job.run_deadline + i64::from(WINDOWS.grace_secs));
    assert_eq!(m.account::<Provider>(&pda::provider(&deal.provider.pubkey())).await.last_active_at, now);
    let after = m.balances(&[deal.client.pubkey(), deal.provider.pubkey(), pda::vault(&deal.job)]).await;
    assert_eq!(after, balances, "starting moves no lamports");
}

#[tokio::test]
async fn start_job_refusals() {
    let mut m = TestMarket::new().await;
    let deal = m.assigned_deal().await;
    let stranger = m.registered_provider().await;
    assert_error(
        m.send(&[builders::start_job(&stranger.pubkey(), &deal.job)], &[&stranger]).await,
        MarketError::NotJobProvider,
    );
    // The provider's account must be its own.
    let mut ix = builders::start_job(&deal.provider.pubkey(), &deal.job);
    ix.accounts[1].pubkey = pda::provider(&stranger.pubkey()); // [authority, provider, job]
    assert_error(m.send(&[ix], &[&deal.provider]).await, MarketError::WrongProvider);

    m.warp(i64::from(WINDOWS.start_window_secs) + 1).await;
    assert_error(
        m.send(&[builders::start_job(&deal.provider.pubkey(), &deal.job)], &[&deal.provider]).await,
        MarketError::StartWindowClosed,
    );

    let open = m.post_job_with(&deal.client, |_| {}).await;
    assert_error(
        m.send(&[builders::start_job(&deal.provider.pubkey(), &open)], &[&deal.provider]).await,
        MarketError::NotJobProvider,
    );
    let running = m.running_deal().await;
    assert_error(
        m.send(&[builders::start_job(&running.provider.pubkey(), &running.job)], &[&running.provider]).await,
        MarketError::InvalidJobStatus,
    );
}

#[tokio::test]
async fn submit_result_opens_the_review_window() {
    let mut m = TestMarket::new().await;
    let deal = m.running_deal().await;
    m.warp(1_000).await;
    let now = m.now().await;
    let vault_before = m.lamports(&pda::vault(&deal.job)).await;
    m.send(&[builders::submit_result(&deal.provider.pubkey(), &deal.job, RESULT_HASH)], &[&deal.provider]).await.unwrap();
    let job: Job = m.account(&deal.job).await;
    assert_eq!((job.status().unwrap(), job.result_hash, job.submitted_at), (JobStatus::Submitted, RESULT_HASH, now));
    assert_eq!(job.review_deadline, now + i64::from(WINDOWS.review_window_secs));
    assert_eq!(m.lamports(&pda::vault(&deal.job)).await, vault_before);
}

#[tokio::test]
async fn submit_result_is_accepted_through_the_grace_period_only() {
    let mut m = TestMarket::new().await;
    let late = m.running_deal().await;
    m.warp(i64::from(DURATION_SECS + WINDOWS.grace_secs)).await;
    m.send(&[builders::submit_result(&late.provider.pubkey(), &late.job, RESULT_HASH)], &[&late.provider]).await.unwrap();

    let too_late = m.running_deal().await;
    m.warp(i64::from(DURATION_SECS + WINDOWS.grace_secs) + 1).await;
    assert_error(
        m.send(&[builders::submit_result(&too_late.provider.pubkey(), &too_late.job, RESULT_HASH)], &[&too_late.provider]).await,
        MarketError::DeadlinePassed,
    );
}

#[tokio::test]
async fn submit_result_refusals() {
    let mut m = TestMarket::new().await;
    let deal = m.running_deal().await;
    assert_error(
        m.send(&[builders::submit_result(&deal.provider.pubkey(), &deal.job, [0; 32])], &[&deal.provider]).await,
        MarketError::InvalidHash,
    );
    let stranger = m.registered_provider().await;
    assert_error(
        m.send(&[builders::submit_result(&stranger.pubkey(), &deal.job, RESULT_HASH)], &[&stranger]).await,
        MarketError::NotJobProvider,
    );
    let assigned = m.assigned_deal().await;
    assert_error(
        m.send(&[builders::submit_result(&assigned.provider.pubkey(), &assigned.job, RESULT_HASH)], &[&assigned.provider]).await,
        MarketError::InvalidJobStatus,
    );
    m.send(&[builders::submit_result(&deal.provider.pubkey(), &deal.job, RESULT_HASH)], &[&deal.provider]).await.unwrap();
    assert_error(
        m.send(&[builders::submit_result(&deal.provider.pubkey(), &deal.job, [1; 32])], &[&deal.provider]).await,
        MarketError::InvalidJobStatus,
    );
    assert_eq!(m.account::<Job>(&deal.job).await.result_hash, RESULT_HASH);
}
