//! dispute_job and resolve_dispute: the only way the admin moves escrow.

use compute_market::error::MarketError;
use compute_market::state::{space, ClientProfile, Job, JobStatus, Provider, Vault};
use compute_market_tests::builders;
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use solana_signer::Signer;

#[tokio::test]
async fn client_disputes_a_result_during_review() {
    let mut m = TestMarket::new().await;
    let deal = m.submitted_deal_after(3_600).await;
    m.warp(i64::from(WINDOWS.review_window_secs)).await;
    let now = m.now().await;
    let vault = m.lamports(&pda::vault(&deal.job)).await;
    m.send(&[builders::dispute_job(&deal.client.pubkey(), &deal.job)], &[&deal.client]).await.unwrap();
    let job: Job = m.account(&deal.job).await;
    assert_eq!((job.status().unwrap(), job.disputed_at), (JobStatus::Disputed, now));
    assert_eq!(job.dispute_deadline, now + i64::from(WINDOWS.dispute_window_secs));
    assert_eq!(m.lamports(&pda::vault(&deal.job)).await, vault);
    assert_eq!(m.market().await.stats.jobs_disputed, 1);

    // Disputed jobs can be neither completed nor finalized.
    let p = deal.parties(&m);
    assert_error(m.send(&[builders::complete_and_pay(&p, None)], &[&deal.client]).await, MarketError::InvalidJobStatus);
}

#[tokio::test]
async fn dispute_windows_are_enforced() {
    let mut m = TestMarket::new().await;
    let late = m.submitted_deal_after(60).await;
    m.warp(i64::from(WINDOWS.review_window_secs) + 1).await;
    assert_error(
        m.send(&[builders::dispute_job(&late.client.pubkey(), &late.job)], &[&late.client]).await,
        MarketError::NotDisputable,
    );

    // A running job may be disputed only once its deadline has passed.
    let running = m.running_deal().await;
    assert_error(
        m.send(&[builders::dispute_job(&running.client.pubkey(), &running.job)], &[&running.client]).await,
        MarketError::NotDisputable,
    );
    m.warp(i64::from(DURATION_SECS) + 1).await;
    let stranger = m.funded_keypair().await;
    assert_error(
        m.send(&[builders::dispute_job(&stranger.pubkey(), &running.job)], &[&stranger]).await,
        MarketError::NotJobClient,
    );
    m.send(&[builders::dispute_job(&running.client.pubkey(), &running.job)], &[&running.client]).await.unwrap();
    assert_eq!(m.account::<Job>(&running.job).await.status().unwrap(), JobStatus::Disputed);

    let assigned = m.assigned_deal().await;
    assert_error(
        m.send(&[builders::dispute_job(&assigned.client.pubkey(), &assigned.job)], &[&assigned.client]).await,
        MarketError::NotDisputable,
    );
}

#[tokio::test]
async fn resolve_dispute_splits_the_escrow_with_the_fee_on_the_provider_share() {
    let mut m = TestMarket::new().await;
    let deal = m.disputed_deal().await;
    let p = deal.parties(&m);
    let admin = m.admin();
    let before = m.balances(&[p.client, p.provider, p.treasury, admin.pubkey()]).await;
    m.send(&[builders::resolve_dispute(&admin.pubkey(), &p, 3_000)], &[&admin]).await.unwrap();

    let share = AGREED_ESCROW * 3_000 / 10_000;
    let fee = share * u64::from(FEE_BPS) / 10_000;
    let refund = AGREED_ESCROW - share;
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(
        m.balances(&[p.client, p.provider, p.treasury, admin.pubkey()]).await,
        vec![before[0] + refund + vault_rent, before[1] + share - fee, before[2] + fee, before[3]]
    );
    assert!(!m.exists(&pda::vault(&p.job)).await);
    let job: Job = m.account(&p.job).await;
    assert_eq!((job.status().unwrap(), job.provider_payout, job.fee, job.escrow), (JobStatus::Resolved, share - fee, fee, 0));
    let provider: Provider = m.account(&pda::provider(&p.provider)).await;
    assert_eq!((provider.disputes_lost, provider.jobs_completed, provider.free, provider.active_jobs), (1, 0, CAPACITY, 0));
    assert_eq!(provider.reputation, (7 * 3_333 + 3 * 5_000) / 10);
    let profile: ClientProfile = m.account(&pda::client_profile(&p.client)).await;
    assert_eq!((profile.total_spent, profile.total_refunded), (share, ESCROW - AGREED_ESCROW + refund));
    let stats = m.market().await.stats;
    assert_eq!((stats.volume_lamports, stats.fees_collected), (share, fee));
}

#[tokio::test]
async fn resolve_dispute_in_the_providers_favour_counts_as_completed() {
    let mut m = TestMarket::new().await;
    let deal = m.disputed_deal().await;
    let p = deal.parties(&m);
    let admin = m.admin();
    let provider_before = m.lamports(&p.provider).await;
    m.send(&[builders::resolve_dispute(&admin.pubkey(), &p, 10_000)], &[&admin]).await.unwrap();
    let fee = AGREED_ESCROW * u64::from(FEE_BPS) / 10_000;
    assert_eq!(m.lamports(&p.provider).await, provider_before + AGREED_ESCROW - fee);
    let provider: Provider = m.account(&pda::provider(&p.provider)).await;
    assert_eq!((provider.disputes_lost, provider.jobs_completed), (0, 1));
}

#[tokio::test]
async fn resolve_dispute_refusals() {
    let mut m = TestMarket::new().await;
    let deal = m.disputed_deal().await;
    let p = deal.parties(&m);
    let admin = m.admin();
    assert_error(m.send(&[builders::resolve_dispute(&admin.pubkey(), &p, 10_001)], &[&admin]).await, MarketError::InvalidSplit);
    // Neither party may arbitrate.
    for party in [&deal.client, &deal.provider] {
        assert_error(
            m.send(&[builders::resolve_dispute(&party.pubkey(), &p, 10_000)], &[party]).await,
            MarketError::NotAdmin,
        );
    }
    // The admin cannot touch escrow outside a dispute.
    let running = m.submitted_deal_after(60).await;
    let rp = running.parties(&m);
    assert_error(m.send(&[builders::resolve_dispute(&admin.pubkey(), &rp, 0)], &[&admin]).await, MarketError::InvalidJobStatus);
    let mut redirected = builders::resolve_dispute(&admin.pubkey(), &p, 10_000);
    redirected.accounts[6].pubkey = admin.pubkey();
    assert_error(m.send(&[redirected], &[&admin]).await, MarketError::WrongProviderWallet);
    let mut redirected = builders::resolve_dispute(&admin.pubkey(), &p, 0);
    redirected.accounts[8].pubkey = admin.pubkey();
    assert_error(m.send(&[redirected], &[&admin]).await, MarketError::WrongClient);
    assert_eq!(m.account::<Job>(&p.job).await.status().unwrap(), JobStatus::Disputed);
}

#[tokio::test]
async fn an_unresolved_dispute_expires_to_a_full_refund() {
    let mut m = TestMarket::new().await;
    let deal = m.disputed_deal().await;
    let p = deal.parties(&m);
    let keeper = m.funded_keypair().await;
    m.warp(i64::from(WINDOWS.dispute_window_secs)).await;
    assert_error(m.send(&[builders::expire_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::NotExpirable);
    m.warp(1).await;
    let client_before = m.lamports(&p.client).await;
    m.send(&[builders::expire_job(&keeper.pubkey(), &p)], &[&keeper]).await.unwrap();
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(m.lamports(&p.client).await, client_before + AGREED_ESCROW + vault_rent);
    let provider: Provider = m.account(&pda::provider(&p.provider)).await;
    assert_eq!((provider.jobs_failed, provider.free, provider.active_jobs), (0, CAPACITY, 0), "the arbiter's silence is not the provider's failure");
}
