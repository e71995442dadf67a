//! expire_job: missed start, missed delivery; anyone may call it, the client gets everything back.

use compute_market::error::MarketError;
use compute_market::state::{space, ClientProfile, Job, JobStatus, Provider, Vault};
use compute_market_tests::builders;
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use solana_signer::Signer;

#[tokio::test]
async fn a_job_never_started_expires_after_the_start_window() {
    let mut m = TestMarket::new().await;
    let deal = m.assigned_deal().await;
    let p = deal.parties(&m);
    let keeper = m.funded_keypair().await;
    m.warp(i64::from(WINDOWS.start_window_secs)).await;
    assert_error(m.send(&[builders::expire_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::NotExpirable);
    m.warp(1).await;

    let [client, provider, treasury] = <[u64; 3]>::try_from(m.balances(&[p.client, p.provider, p.treasury]).await).unwrap();
    m.send(&[builders::expire_job(&keeper.pubkey(), &p)], &[&keeper]).await.unwrap();
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(
        m.balances(&[p.client, p.provider, p.treasury, keeper.pubkey()]).await,
        vec![client + AGREED_ESCROW + vault_rent, provider, treasury, STARTING_LAMPORTS]
    );
    assert!(!m.exists(&pda::vault(&p.job)).await);
    let job: Job = m.account(&p.job).await;
    assert_eq!((job.status().unwrap(), job.escrow, job.client_refund), (JobStatus::Expired, 0, ESCROW));
    let state: Provider = m.account(&pda::provider(&p.provider)).await;
    assert_eq!((state.jobs_failed, state.free, state.active_jobs), (1, CAPACITY, 0));
    // The failure weighs the escrow's value: 5 units of 0.01 SOL against the 100-unit prior.
    assert_eq!((state.failed_units, state.reputation), (units(AGREED_ESCROW), score_of(&state)));
    assert_eq!(u32::from(state.reputation), (7 * (10_000 * 100 / 205) + 3 * 5_000) / 10);
    let profile: ClientProfile = m.account(&pda::client_profile(&p.client)).await;
    assert_eq!((profile.jobs_expired, profile.total_refunded, profile.total_spent), (1, ESCROW, 0));
}

#[tokio::test]
async fn a_job_without_result_expires_after_deadline_and_grace() {
    let mut m = TestMarket::new().await;
    let deal = m.running_deal().await;
    let p = deal.parties(&m);
    m.warp(i64::from(DURATION_SECS + WINDOWS.grace_secs)).await;
    assert_error(m.send(&[builders::expire_job(&deal.provider.pubkey(), &p)], &[&deal.provider]).await, MarketError::NotExpirable);
    m.warp(1).await;
    let client = m.lamports(&p.client).await;
    // The provider itself may end it: it still counts as its failure.
    m.send(&[builders::expire_job(&deal.provider.pubkey(), &p)], &[&deal.provider]).await.unwrap();
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(m.lamports(&p.client).await, client + AGREED_ESCROW + vault_rent);
    assert_eq!(m.account::<Provider>(&pda::provider(&p.provider)).await.jobs_failed, 1);
    // A late result after expiry is refused.
    assert_error(
        m.send(&[builders::submit_result(&deal.provider.pubkey(), &deal.job, RESULT_HASH)], &[&deal.provider]).await,
        MarketError::InvalidJobStatus,
    );
}

#[tokio::test]
async fn jobs_in_good_standing_do_not_expire() {
    let mut m = TestMarket::new().await;
    let keeper = m.funded_keypair().await;
    let submitted = m.submitted_deal_after(60).await;
    let sp = submitted.parties(&m);
    m.warp(1_000_000).await;
    assert_error(m.send(&[builders::expire_job(&keeper.pubkey(), &sp)], &[&keeper]).await, MarketError::NotExpirable);

    let open = m.open_deal().await;
    let op = open.parties(&m);
    assert!(m.send(&[builders::expire_job(&keeper.pubkey(), &op)], &[&keeper]).await.is_err(), "open jobs have no provider to expire");
    assert_eq!(m.account::<Job>(&open.job).await.status().unwrap(), JobStatus::Open);
}

#[tokio::test]
async fn expire_refuses_substituted_accounts() {
    let mut m = TestMarket::new().await;
    let deal = m.assigned_deal().await;
    let p = deal.parties(&m);
    let keeper = m.funded_keypair().await;
    m.warp(i64::from(WINDOWS.start_window_secs) + 1).await;
    let mut ix = builders::expire_job(&keeper.pubkey(), &p);
    // [market, payer, client_profile, job, vault, provider, provider_wallet, client, pair, ...]
    ix.accounts[7].pubkey = keeper.pubkey();
    assert_error(m.send(&[ix], &[&keeper]).await, MarketError::WrongClient);
    let other = m.registered_provider().await;
    let mut ix = builders::expire_job(&keeper.pubkey(), &p);
    ix.accounts[5].pubkey = pda::provider(&other.pubkey());
    assert_error(m.send(&[ix], &[&keeper]).await, MarketError::WrongProvider);
    assert_eq!(m.lamports(&keeper.pubkey()).await, STARTING_LAMPORTS);
}
