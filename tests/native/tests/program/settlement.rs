//! complete_and_pay and finalize_job: payouts, fees, refunds, reputation and counters, to the lamport.

use compute_market::error::MarketError;
use compute_market::instructions::UpdateMarketArgs;
use compute_market::state::{space, ClientProfile, Job, JobStatus, Provider, Vault};
use compute_market_tests::builders::{self, JobParties};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use solana_signer::Signer;

async fn party_balances(m: &mut TestMarket, p: &JobParties) -> [u64; 4] {
    let b = m.balances(&[p.client, p.provider, p.treasury, pda::vault(&p.job)]).await;
    [b[0], b[1], b[2], b[3]]
}

#[tokio::test]
async fn complete_and_pay_pays_time_worked_and_refunds_the_rest() {
    let mut m = TestMarket::new().await;
    let deal = m.submitted_deal_after(2_700).await;
    let p = deal.parties(&m);
    let [client, provider, treasury, vault] = party_balances(&mut m, &p).await;
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(vault, vault_rent + AGREED_ESCROW);

    let now = m.now().await;
    m.send(&[builders::complete_and_pay(&p, Some(5))], &[&deal.client]).await.unwrap();

    let (to_provider, fee, refund) = expected_split(2_700);
    // 45 minutes at 25.7M/h is 19,275,000, of which 2.5% is the fee.
    assert_eq!((to_provider, fee, refund), (18_793_125, 481_875, 32_125_000));
    assert_eq!(m.lamports(&p.provider).await, provider + to_provider);
    assert_eq!(m.lamports(&p.treasury).await, treasury + fee);
    assert_eq!(m.lamports(&p.client).await, client + refund + vault_rent);
    assert!(!m.exists(&pda::vault(&p.job)).await, "vault closed");

    let job: Job = m.account(&p.job).await;
    assert_eq!((job.status().unwrap(), job.escrow, job.rating, job.finished_at), (JobStatus::Completed, 0, 5, now));
    assert_eq!((job.provider_payout, job.fee, job.client_refund), (to_provider, fee, ESCROW - AGREED_ESCROW + refund));

    let state: Provider = m.account(&pda::provider(&p.provider)).await;
    assert_eq!((state.free, state.active_jobs, state.jobs_completed), (CAPACITY, 0, 1));
    assert_eq!((state.rating_sum, state.rating_count, state.total_earned), (5, 1, to_provider));
    assert_eq!(state.reputation, 6_666);

    let profile: ClientProfile = m.account(&pda::client_profile(&p.client)).await;
    assert_eq!((profile.jobs_completed, profile.total_spent), (1, to_provider + fee));
    assert_eq!(profile.total_refunded, ESCROW - AGREED_ESCROW + refund);
    let stats = m.market().await.stats;
    assert_eq!((stats.jobs_completed, stats.volume_lamports, stats.fees_collected), (1, to_provider + fee, fee));
}

#[tokio::test]
async fn complete_and_pay_caps_payment_at_the_duration() {
    let mut m = TestMarket::new().await;
    // Delivered during the grace period, after the full duration.
    let deal = m.submitted_deal_after(i64::from(DURATION_SECS) + 200).await;
    let p = deal.parties(&m);
    let [client, provider, treasury, _] = party_balances(&mut m, &p).await;
    m.send(&[builders::complete_and_pay(&p, None)], &[&deal.client]).await.unwrap();
    let (to_provider, fee, refund) = expected_split(u64::from(DURATION_SECS));
    assert_eq!((to_provider + fee, refund), (AGREED_ESCROW, 0));
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(m.balances(&[p.client, p.provider, p.treasury]).await, vec![client + vault_rent, provider + to_provider, treasury + fee]);
    let state: Provider = m.account(&pda::provider(&p.provider)).await;
    assert_eq!((state.rating_count, state.reputation), (0, (7 * 6_666 + 3 * 5_000) / 10));
    assert_eq!(m.account::<Job>(&p.job).await.rating, 0);
}

#[tokio::test]
async fn complete_and_pay_refusals_move_nothing() {
    let mut m = TestMarket::new().await;
    let deal = m.submitted_deal_after(600).await;
    let p = deal.parties(&m);
    let stranger = m.registered_client().await;
    let thief = m.funded_keypair().await;
    let other_provider = m.registered_provider().await;
    let other_job = m.post_job_with(&deal.client, |_| {}).await;
    let before = party_balances(&mut m, &p).await;

    for stars in [0, 6] {
        assert_error(m.send(&[builders::complete_and_pay(&p, Some(stars))], &[&deal.client]).await, MarketError::InvalidRating);
    }
    let mut ix = builders::complete_and_pay(&JobParties { client: stranger.pubkey(), ..p }, None);
    ix.accounts[4].pubkey = pda::vault(&p.job);
    assert_error(m.send(&[ix], &[&stranger]).await, MarketError::NotJobClient);

    let mut ix = builders::complete_and_pay(&p, None);
    ix.accounts[7].pubkey = thief.pubkey();
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongTreasury);
    let mut ix = builders::complete_and_pay(&p, None);
    ix.accounts[6].pubkey = thief.pubkey();
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongProviderWallet);
    let mut ix = builders::complete_and_pay(&p, None);
    ix.accounts[5].pubkey = pda::provider(&other_provider.pubkey());
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongProvider);
    let mut ix = builders::complete_and_pay(&p, None);
    ix.accounts[4].pubkey = pda::vault(&other_job);
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongVault);

    assert_eq!(party_balances(&mut m, &p).await, before);
    assert_eq!(m.lamports(&thief.pubkey()).await, STARTING_LAMPORTS);

    let running = m.running_deal().await;
    let rp = running.parties(&m);
    assert_error(m.send(&[builders::complete_and_pay(&rp, None)], &[&running.client]).await, MarketError::InvalidJobStatus);

    // Paid once only.
    m.send(&[builders::complete_and_pay(&p, None)], &[&deal.client]).await.unwrap();
    assert!(m.send(&[builders::complete_and_pay(&p, None)], &[&deal.client]).await.is_err());
}

#[tokio::test]
async fn treasury_may_be_the_providers_own_wallet() {
    let mut m = TestMarket::new().await;
    let deal = m.submitted_deal_after(3_600).await;
    let admin = m.admin();
    m.send(&[builders::update_market(&admin.pubkey(), Some(deal.provider.pubkey()), UpdateMarketArgs::default())], &[&admin])
        .await
        .unwrap();
    let p = JobParties { treasury: deal.provider.pubkey(), ..deal.parties(&m) };
    let provider_before = m.lamports(&p.provider).await;
    m.send(&[builders::complete_and_pay(&p, Some(3))], &[&deal.client]).await.unwrap();
    let (to_provider, fee, _) = expected_split(3_600);
    assert_eq!(m.lamports(&p.provider).await, provider_before + to_provider + fee);
}

#[tokio::test]
async fn finalize_job_releases_payment_after_the_review_window() {
    let mut m = TestMarket::new().await;
    let deal = m.submitted_deal_after(3_600).await;
    let p = deal.parties(&m);
    let keeper = m.funded_keypair().await;
    assert_error(m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::ReviewWindowOpen);
    m.warp(i64::from(WINDOWS.review_window_secs)).await;
    assert_error(m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::ReviewWindowOpen);
    m.warp(1).await;

    let [client, provider, treasury, _] = party_balances(&mut m, &p).await;
    m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await.unwrap();
    let (to_provider, fee, refund) = expected_split(3_600);
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(
        m.balances(&[p.client, p.provider, p.treasury, keeper.pubkey()]).await,
        vec![client + refund + vault_rent, provider + to_provider, treasury + fee, STARTING_LAMPORTS]
    );
    let job: Job = m.account(&p.job).await;
    assert_eq!((job.status().unwrap(), job.rating), (JobStatus::Completed, 0));
    assert_eq!(m.market().await.stats.jobs_completed, 1);
}

#[tokio::test]
async fn finalize_job_refusals() {
    let mut m = TestMarket::new().await;
    let deal = m.running_deal().await;
    let p = deal.parties(&m);
    let keeper = m.funded_keypair().await;
    m.warp(100_000).await;
    assert_error(m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::InvalidJobStatus);

    let submitted = m.submitted_deal_after(60).await;
    let sp = submitted.parties(&m);
    m.warp(i64::from(WINDOWS.review_window_secs) + 1).await;
    let mut ix = builders::finalize_job(&keeper.pubkey(), &sp);
    ix.accounts[8].pubkey = keeper.pubkey();
    assert_error(m.send(&[ix], &[&keeper]).await, MarketError::WrongClient);
    let mut ix = builders::finalize_job(&keeper.pubkey(), &sp);
    ix.accounts[7].pubkey = keeper.pubkey();
    assert_error(m.send(&[ix], &[&keeper]).await, MarketError::WrongTreasury);
    assert_eq!(m.lamports(&keeper.pubkey()).await, STARTING_LAMPORTS);
}
