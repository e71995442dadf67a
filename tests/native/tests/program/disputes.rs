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
    assert_eq!(m.account::<ClientProfile>(&pda::client_profile(&deal.client.pubkey())).await.jobs_disputed, 1);

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

    // Only the client disputes.
    let submitted = m.submitted_deal_after(60).await;
    let stranger = m.registered_client().await;
    let ix = builders::dispute_job(&stranger.pubkey(), &submitted.job);
    assert_error(m.send(&[ix], &[&stranger]).await, MarketError::NotJobClient);

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
    // The admin settles the provider's first counted work for this client: it pays the pair record.
    let pair_rent = m.pair_rent().await;
    assert_eq!(
        m.balances(&[p.client, p.provider, p.treasury, admin.pubkey()]).await,
        vec![before[0] + refund + vault_rent, before[1] + share - fee, before[2], before[3]]
    );
    assert!(!m.exists(&pda::pair(&p.provider, &p.client)).await, "a lost dispute is no counted work");
    let _ = pair_rent;
    assert!(!m.exists(&pda::vault(&p.job)).await);
    let job: Job = m.account(&p.job).await;
    assert_eq!((job.status().unwrap(), job.provider_payout, job.fee, job.escrow), (JobStatus::Resolved, share - fee, fee, 0));
    let provider: Provider = m.account(&pda::provider(&p.provider)).await;
    assert_eq!((provider.disputes_lost, provider.jobs_completed, provider.free, provider.active_jobs), (1, 0, CAPACITY, 0));
    assert_eq!((provider.lost_units, provider.fees_owed), (units(AGREED_ESCROW), fee));
    assert_eq!(provider.reputation, score_of(&provider));
    let profile: ClientProfile = m.account(&pda::client_profile(&p.client)).await;
    assert_eq!((profile.total_spent, profile.total_refunded), (share, ESCROW - AGREED_ESCROW + refund));
    assert_eq!(profile.fees_paid, fee);
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
    redirected.accounts[7].pubkey = admin.pubkey();
    assert_error(m.send(&[redirected], &[&admin]).await, MarketError::WrongClient);
    assert_eq!(m.account::<Job>(&p.job).await.status().unwrap(), JobStatus::Disputed);
}

#[tokio::test]
async fn an_unresolved_dispute_settles_by_the_default_split() {
    let mut m = TestMarket::new().await;
    let deal = m.disputed_deal().await;
    let p = deal.parties(&m);
    let keeper = m.funded_keypair().await;
    m.warp(i64::from(WINDOWS.dispute_window_secs)).await;
    assert_error(m.send(&[builders::expire_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::NotExpirable);
    m.warp(1).await;
    let [client_before, provider_before] = <[u64; 2]>::try_from(m.balances(&[p.client, p.provider]).await).unwrap();
    m.send(&[builders::expire_job(&keeper.pubkey(), &p)], &[&keeper]).await.unwrap();

    // The hour the provider claims: half its payment to the provider side (fee on that half), the rest back.
    let (to_provider, fee, _) = expected_split(3_600);
    let half = (to_provider + fee) / 2;
    let half_fee = half * u64::from(FEE_BPS) / 10_000;
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(m.lamports(&p.client).await, client_before + AGREED_ESCROW - half + vault_rent);
    assert_eq!(m.lamports(&p.provider).await, provider_before + half - half_fee);
    assert_eq!(m.lamports(&keeper.pubkey()).await, STARTING_LAMPORTS, "no pair record: nothing was counted");
    let job: Job = m.account(&p.job).await;
    assert_eq!((job.status().unwrap(), job.provider_payout, job.fee, job.escrow), (JobStatus::Expired, half - half_fee, half_fee, 0));
    let provider: Provider = m.account(&pda::provider(&p.provider)).await;
    assert_eq!((provider.jobs_failed, provider.disputes_lost, provider.jobs_completed), (0, 0, 0), "neither side's record moves");
    assert_eq!((provider.reputation, provider.free, provider.active_jobs, provider.fees_owed), (5_000, CAPACITY, 0, half_fee));
    let profile: ClientProfile = m.account(&pda::client_profile(&p.client)).await;
    assert_eq!((profile.jobs_expired, profile.total_spent, profile.fees_paid), (1, half, half_fee));
}
